using StyleLab.Encoders;
using StyleLab.Evaluation;
using StyleLab.Imaging;
using StyleLab.Methods;
using StyleLab.Methods.Gatys;
using StyleLab.Video;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace StyleLab.Tests.Video;

/// <summary>Temporal consistency lowers the warping error (Lai et al.) against per-frame stylisation on a known pan.</summary>
public class TemporalConsistencyTests(ITestOutputHelper output)
{
    // The floors sit below what was measured on the 96×72 pan: fast 3.8×, arbitrary 3.2×, and the random AdaIN network
    // 1.3× (its output is nearly flat: per-frame flicker is already 2·10⁻⁵, near what copying pixels instead of
    // interpolating them costs in Lai's bilinear metric). Before pixel-copy warping and the contrast restoration,
    // bilinear re-warping raised fast's 'wave' Gram loss 77 %.
    [SkippableTheory]
    [InlineData("fast", 3.0)]
    [InlineData("arbitrary", 2.5)]
    [InlineData("adain", 1.2)]
    public void Blend_lowers_the_warping_error_and_keeps_the_style(string name, double floor) =>
        LowersFlickerAndKeepsStyle(name, VideoOptions.Default with { Temporal = TemporalMode.Blend }, floor);

    // Measured 1.2× (fast), 1.6× (arbitrary), 1.2× (AdaIN): decoders not trained for it react to a sub-pixel shift.
    [SkippableTheory]
    [InlineData("fast")]
    [InlineData("arbitrary")]
    [InlineData("adain")]
    public void Feature_blend_lowers_the_warping_error_and_keeps_the_style(string name) =>
        LowersFlickerAndKeepsStyle(name, VideoOptions.Default with { Temporal = TemporalMode.Features, Strength = 0.5 }, floor: 1.1);

    /// <summary>
    /// On a 4-frame pan, <paramref name="options"/> lowers Lai's warping error more than <paramref name="floor"/>-fold
    /// against per-frame stylisation and keeps the mean Gram style loss within 10 %.
    /// </summary>
    void LowersFlickerAndKeepsStyle(string name, VideoOptions options, double floor)
    {
        Skip.If(TestPaths.SharedWeights is null || TestPaths.SharedVgg is null, "../shared weights are absent");
        using var clip = VideoClips.Pan(frames: 4, width: 96, height: 72);
        Skip.If(clip is null, "../shared photos are absent");
        // fast and arbitrary run their real networks from ../shared; AdaIN has no trained decoder there, so it runs
        // the contract tests' small seeded random network: the mechanism works for any network.
        using var method = name switch
        {
            "fast" => StyleTransferFactory.Create(name, new Dictionary<string, string> { ["style"] = "wave" }),
            "arbitrary" => StyleTransferFactory.Create(name, new Dictionary<string, string>()),
            _ => Contract.ContractMethods.Build(name),
        };
        using var style = ImageIO.Load(VideoClips.Photo("style", "wave.jpg")!, new ImageLoadOptions { Size = Resize.LongestSide(128) });
        IReadOnlyList<Tensor> styles = method.StyleCount.Min == 0 ? [] : [style];
        using var vgg = Vgg19Encoder.Load(TestPaths.SharedVgg!);
        var (perFrame, perFrameGram) = Run(method, styles, clip, VideoOptions.Default, vgg, style);
        var (consistent, consistentGram) = Run(method, styles, clip, options, vgg, style);
        double factor = perFrame / consistent, gramChange = consistentGram / perFrameGram - 1;
        string mode = $"{options.Temporal.ToString().ToLowerInvariant()} {options.Strength}";
        output.WriteLine($"{name}: warping error per frame {perFrame:F5}, {mode} {consistent:F5}: {factor:F1}× lower; Gram loss {gramChange:+0.0%;-0.0%}");
        Assert.True(factor > floor, $"{mode} lowered the warping error only {factor:F2}×");
        Assert.True(Math.Abs(gramChange) < 0.10, $"{mode} changed the style loss by {gramChange:P1}");
    }

    [Fact]
    public void Feature_blend_needs_a_decoder_input()
    {
        using var method = StyleTransferFactory.Create("quilt", new Dictionary<string, string>());
        var e = Assert.Throws<ArgumentException>(() => new VideoStylizer(method, [], VideoOptions.Default with { Temporal = TemporalMode.Features }));
        Assert.Contains("decoder", e.Message);
    }

    [SkippableFact]
    public void Ruder_lowers_the_warping_error_of_Gatys()
    {
        Skip.If(TestPaths.SharedVgg is null, "../shared VGG-19 is absent");
        using var clip = VideoClips.Pan(frames: 3, width: 64, height: 48);
        Skip.If(clip is null, "../shared photos are absent");
        using var vgg = Vgg19Encoder.Load(TestPaths.SharedVgg!);
        using var method = new GatysMethod(vgg, GatysOptions.For(vgg) with { Steps = 15 }, ownsEncoder: false);
        using var style = ImageIO.Load(VideoClips.Photo("style", "Starry.jpg")!, new ImageLoadOptions { Size = Resize.LongestSide(64) });
        var (perFrame, perFrameGram) = Run(method, [style], clip, VideoOptions.Default, vgg, style);
        var (ruder, ruderGram) = Run(method, [style], clip, VideoOptions.Default with { Temporal = TemporalMode.Ruder }, vgg, style);
        double factor = perFrame / ruder;
        output.WriteLine($"gatys (15 L-BFGS steps, 64×48): warping error per frame {perFrame:F5}, Ruder {ruder:F5}: {factor:F1}× lower; Gram loss {ruderGram / perFrameGram - 1:+0.0%;-0.0%}");
        // Measured 3.0× (Gram loss −20 %) with γ = 2·10⁴; the paper's γ = 200 under StyleLab's loss scaling made it 0.4×.
        Assert.True(factor > 2, $"Ruder's temporal loss lowered the warping error only {factor:F2}×");
    }

    [Fact]
    public void Ruder_needs_gatys()
    {
        using var method = StyleTransferFactory.Create("quilt", new Dictionary<string, string>());
        var e = Assert.Throws<ArgumentException>(() => new VideoStylizer(method, [], VideoOptions.Default with { Temporal = TemporalMode.Ruder }));
        Assert.Contains("gatys", e.Message);
    }

    /// <summary>The mean warping error over the frames after the first, and the mean Gram loss of every frame.</summary>
    static (double Warping, double Gram) Run(IStyleTransfer method, IReadOnlyList<Tensor> styles, SyntheticVideo clip, VideoOptions options, Vgg19Encoder vgg, Tensor style)
    {
        using var stylizer = new VideoStylizer(method, styles, options);
        var errors = new List<double>();
        var gram = new List<double>();
        foreach (var frame in clip.Frames)
        {
            using var result = stylizer.Next(frame);
            if (result.WarpingError is { } e) errors.Add(e);
            gram.Add(StyleMetrics.Measure(vgg, result.Image, frame, style).GramLoss);
        }
        return (errors.Average(), gram.Average());
    }
}
