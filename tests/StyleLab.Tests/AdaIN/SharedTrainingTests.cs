using System.Diagnostics;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Losses;
using StyleLab.Methods.AdaIN;
using StyleLab.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace StyleLab.Tests.AdaIN;

/// <summary>
/// The offline AdaIN of CI: a relu3_1 decoder trained for a few minutes on ../shared's partial VGG
/// (mean-normalised, as the official encoder) and sample images must stylise a photo measurably. Skipped
/// without ../shared. The image is written to STYLELAB_ARTIFACTS (default: the temp folder) for a person to look at.
/// </summary>
public class SharedTrainingTests(ITestOutputHelper output)
{
    /// <summary>
    /// The settings of CI and of notebooks/02-adain's quick mode: small crops, 150 warm-up steps that reconstruct
    /// photos (Adam 1e-3), then 250 with the paper's loss and learning rate (≈ 2.5 min on two idle cores).
    /// </summary>
    public static AdaINTrainingOptions Quick { get; } = new(Steps: 400, LearningRate: 1e-4, BatchSize: 4, ResizeTo: 96, CropSize: 64,
        CheckpointEvery: 0, LogEvery: 25, Seed: 0, WarmupSteps: 150);

    [SkippableFact]
    public void A_decoder_trained_minutes_on_the_partial_vgg_transfers_style_and_keeps_the_content()
    {
        Skip.If(TestPaths.SharedVgg is null, "../shared's partial VGG is absent");
        string data = Path.Combine(TestPaths.Shared!, "data");
        using var imagenet = NormalisedVgg.Load(TestPaths.SharedVgg!);
        var samples = new[] { "content", "style" }.SelectMany(d => Directory.GetFiles(Path.Combine(data, d))).Order(StringComparer.Ordinal)
            .Select(f => ImageIO.Load(f, new ImageLoadOptions { Size = Resize.LongestSide(128) })).ToList();
        var encoder = VggNormalisation.Normalise(imagenet, samples);
        foreach (var sample in samples) sample.Dispose();
        using var model = AdaINTraining.CreateModel(encoder, Quick);
        Assert.Equal("relu3_1", model.Layer);
        var pairs = new ImagePairDataset(Path.Combine(data, "content"), Path.Combine(data, "style"), Quick.Data);
        var clock = Stopwatch.StartNew();
        using (var loop = new TrainingLoop<ImagePair>(new AdaINTraining(model, Quick), pairs, Quick.Loop(null)))
            loop.Run(new Sync(r => output.WriteLine($"step {r.Step}: {string.Join(", ", r.Losses.Select(kv => $"{kv.Key} {kv.Value:G4}"))}, {r.SecondsPerStep:F2} s/step")));
        output.WriteLine($"trained {Quick.Steps} steps in {clock.Elapsed.TotalSeconds:F0} s");

        using var scope = NewDisposeScope();
        var load = new ImageLoadOptions { Size = Resize.LongestSide(256) };
        var content = ImageIO.Load(Path.Combine(data, "content", "chicago.jpg"), load);
        var style = ImageIO.Load(Path.Combine(data, "style", "Starry.jpg"), load);
        var stylised = model.Stylize(content, style);
        var folder = Environment.GetEnvironmentVariable("STYLELAB_ARTIFACTS") ?? Path.GetTempPath();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "adain-ci-chicago-starry.png");
        ImageIO.Save(cat([content, stylised, nn.functional.interpolate(style, [content.shape[2], content.shape[3]], mode: InterpolationMode.Bilinear)], 3), path);
        output.WriteLine($"wrote {path}");

        var layers = model.StyleLayers;
        using var s = encoder.Encode(style, layers);
        using var c = encoder.Encode(content, layers);
        using var o = encoder.Encode(stylised, layers);
        double StyleLoss(IReadOnlyDictionary<string, Tensor> f) => layers.Sum(l => MeanStdStyleLoss.Compute(f[l], s[l]).item<float>());
        double before = StyleLoss(c), after = StyleLoss(o);
        output.WriteLine($"style loss to Starry Night: photo {before:G4}, stylised {after:G4} ({before / after:F1}× lower)");
        // Measured (2026-12): 0.22 of the photo's with these settings (the same run's other pairs 0.26–0.60); 0.32–0.39
        // when the paper's phase ran at 1e-3. Before the warm-up and the normalised VGG: 0.62 after 240 steps, blotches.
        Assert.True(after < 0.8 * before, $"style loss {after:G4} is not below 0.8 × the photo's {before:G4}");

        // Content kept: the stylised image's relu3_1 features lie far closer to the photo's than the painting's do (same size).
        var resizedStyle = nn.functional.interpolate(style, [content.shape[2], content.shape[3]], mode: InterpolationMode.Bilinear);
        using var r = encoder.Encode(resizedStyle, ["relu3_1"]);
        double Distance(Tensor a) => nn.functional.mse_loss(Normalised(a), Normalised(c["relu3_1"])).item<float>();
        double kept = Distance(o["relu3_1"]), painting = Distance(r["relu3_1"]);
        output.WriteLine($"normalised relu3_1 distance to the photo: stylised {kept:G4}, painting {painting:G4}");
        // Measured: 0.51–0.63 of the painting's distance (uncorrelated features give ≈ 2); 0.82 before the warm-up.
        Assert.True(kept < 0.9 * painting, $"content not kept: {kept:G4} vs the painting's {painting:G4}");
    }

    /// <summary>Features with every channel standardised: compares structure, not the style's statistics.</summary>
    static Tensor Normalised(Tensor f) => StyleLab.Losses.ChannelStatistics.Normalize(f);

    sealed class Sync(Action<TrainingReport> report) : IProgress<TrainingReport>
    {
        public void Report(TrainingReport value) => report(value);
    }
}
