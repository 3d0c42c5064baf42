using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.Gatys;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Methods;

public class GatysTests
{
    /// <summary>Reports on the optimiser's own thread (Progress&lt;T&gt; would post them elsewhere).</summary>
    sealed class Recorder(Action<GatysReport>? onReport = null) : IProgress<GatysReport>
    {
        public List<GatysReport> Reports { get; } = new();
        public void Report(GatysReport value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    // A random full-depth VGG-19 and tiny images keep these tests to a few seconds on two cores.
    static readonly Lazy<Vgg19Encoder> RandomVgg = new(() => Vgg19Encoder.Random(seed: 1));

    static Tensor Image(int height, int width, ulong seed)
    {
        using var generator = new Generator(seed);
        return rand(new long[] { 1, 3, height, width }, generator: generator);
    }

    /// <summary>Block 3 only, few steps: what most tests need.</summary>
    static GatysOptions Quick(int steps) => GatysOptions.Shallow with { Steps = steps };

    [Fact]
    public void Optimisation_lowers_the_total_loss()
    {
        using var content = Image(32, 32, 1);
        using var style = Image(40, 48, 2);   // another size than the content
        using var result = Gatys.Run(RandomVgg.Value, content, style, GatysOptions.Paper with { Steps = 15, Init = GatysInit.Content });
        var total = result.History.Series("style").Zip(result.History.Series("content"), (s, c) => s.Value + c.Value).ToList();
        Assert.Equal(15, total.Count);
        Assert.True(total[^1] < 0.5 * total[0], $"total loss {total[0]:E3} → {total[^1]:E3}");
        Assert.Equal(content.shape, result.Image.shape);
    }

    [Theory]
    [InlineData(GatysOptimizer.Lbfgs)]
    [InlineData(GatysOptimizer.Adam)]
    public void Both_optimisers_lower_the_style_loss_from_noise(GatysOptimizer optimizer)
    {
        using var content = Image(32, 32, 3);
        using var style = Image(32, 32, 4);
        var options = Quick(25) with { Optimizer = optimizer, Init = GatysInit.Noise, LearningRate = 0.05 };
        using var result = Gatys.Run(RandomVgg.Value, content, style, options);
        var styleLoss = result.History.Series("style");
        Assert.True(styleLoss[^1].Value < styleLoss[0].Value, $"{optimizer}: style loss {styleLoss[0].Value:E3} → {styleLoss[^1].Value:E3}");
        Assert.True(result.Image.min().item<float>() >= 0 && result.Image.max().item<float>() <= 1);
    }

    [Fact]
    public void Reports_arrive_every_step_with_previews_every_N()
    {
        using var content = Image(24, 32, 5);
        using var style = Image(24, 24, 6);
        var recorder = new Recorder();
        using var result = Gatys.Run(RandomVgg.Value, content, style, Quick(6) with { PreviewEvery = 2 }, progress: recorder);
        try
        {
            Assert.Equal(Enumerable.Range(1, 6), recorder.Reports.Select(r => r.Step));
            Assert.All(recorder.Reports, r => Assert.Equal(6, r.TotalSteps));
            Assert.All(recorder.Reports, r => Assert.Equal(r.Total, r.Losses["content"] + r.Losses["style"] + r.Losses["tv"], 1e-6 * r.Total));
            Assert.Contains("style:relu3_1", recorder.Reports[0].Losses.Keys);
            Assert.Equal(new[] { 2, 4, 6 }, recorder.Reports.Where(r => r.Preview is not null).Select(r => r.Step));
            foreach (var preview in recorder.Reports.Select(r => r.Preview).OfType<Tensor>())
            {
                Assert.Equal(new long[] { 1, 3, 24, 32 }, preview.shape);
                Assert.Equal(DeviceType.CPU, preview.device_type);
                Assert.InRange(preview.min().item<float>(), 0f, 1f);
                Assert.InRange(preview.max().item<float>(), 0f, 1f);
            }
            Assert.Equal(new[] { 2, 4, 6 }, result.Snapshots.Select(s => s.Step));
            Assert.Equal(6, result.History.Count);
        }
        finally
        {
            foreach (var r in recorder.Reports) r.Preview?.Dispose();
        }
    }

    [Fact]
    public void Cancellation_stops_within_a_step_and_frees_every_tensor()
    {
        using var content = Image(32, 32, 7);
        using var style = Image(32, 32, 8);
        using var cancel = new CancellationTokenSource();
        var recorder = new Recorder(r => { if (r.Step == 3) cancel.Cancel(); });
        var encoder = RandomVgg.Value;   // created before counting
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.ThrowsAny<OperationCanceledException>(() =>
            Gatys.Run(encoder, content, style, Quick(50) with { PreviewEvery = 2 }, progress: recorder, cancellationToken: cancel.Token));

        Assert.Equal(3, recorder.Reports[^1].Step);
        foreach (var r in recorder.Reports) r.Preview?.Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void A_NaN_loss_is_a_clear_error()
    {
        using var content = Image(32, 32, 9);
        using var style = Image(32, 32, 10);
        style[0, 0, 5, 5] = torch.tensor(float.NaN);   // NaN options are refused before the run; a NaN pixel is not
        var e = Assert.Throws<InvalidOperationException>(() => Gatys.Run(RandomVgg.Value, content, style, Quick(5)));
        Assert.Equal("loss became NaN at step 1; lower the learning rate or style weight", e.Message);
    }

    [Fact]
    public void Live_tensors_stay_flat_over_many_steps_and_return_to_zero()
    {
        using var content = Image(16, 16, 11);
        using var style = Image(16, 16, 12);
        var encoder = RandomVgg.Value;   // created before counting
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var live = new Dictionary<int, long>();
        var recorder = new Recorder(r => live[r.Step] = DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        var options = GatysOptions.Shallow with { Steps = 300, StyleLayers = new Dictionary<string, double> { ["relu1_1"] = 1 }, ContentLayers = new Dictionary<string, double> { ["relu1_1"] = 1 } };
        using (var result = Gatys.Run(encoder, content, style, options, progress: recorder)) { }
        // L-BFGS keeps up to 100 curvature pairs; once they are full, nothing more may accumulate.
        Assert.Equal(live[150], live[300]);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void The_run_happens_on_the_contents_device()
    {
        using var content = Image(32, 32, 13);
        using var style = Image(32, 32, 14);
        using var result = Gatys.Run(RandomVgg.Value, content, style, Quick(2));
        Assert.Equal(content.device_type, result.Image.device_type);
        Assert.Equal(content.device_index, result.Image.device_index);
    }

    [Fact]
    public void A_pyramid_runs_coarse_to_fine_and_numbers_steps_across_levels()
    {
        using var content = Image(64, 48, 15);
        using var style = Image(64, 64, 16);
        var recorder = new Recorder();
        using var result = Gatys.Run(RandomVgg.Value, content, style, Quick(3) with { PyramidLevels = 2, PreviewEvery = 3 }, progress: recorder);
        try
        {
            Assert.Equal(Enumerable.Range(1, 6), recorder.Reports.Select(r => r.Step));
            Assert.Equal(new[] { 1, 1, 1, 2, 2, 2 }, recorder.Reports.Select(r => r.Level));
            Assert.All(recorder.Reports, r => Assert.Equal(2, r.Levels));
            Assert.Equal(new long[] { 1, 3, 32, 24 }, recorder.Reports[2].Preview!.shape);   // level 1: half size
            Assert.Equal(new long[] { 1, 3, 64, 48 }, recorder.Reports[5].Preview!.shape);
            Assert.Equal(content.shape, result.Image.shape);
        }
        finally
        {
            foreach (var r in recorder.Reports) r.Preview?.Dispose();
        }
    }

    [Fact]
    public void One_all_covering_region_is_the_unguided_transfer()
    {
        using var content = Image(32, 32, 17);
        using var style = Image(24, 40, 18);
        using var contentMask = torch.ones(1, 1, 32, 32);
        using var styleMask = torch.ones(1, 1, 24, 40);
        var options = Quick(1);
        using var plain = Gatys.Run(RandomVgg.Value, content, style, options);
        using var guided = Gatys.Run(RandomVgg.Value, content, style, options, new GatysMasks([contentMask], [styleMask]));
        Assert.Equal(plain.History.Last["style"], guided.History.Last["style"], 1e-4 * plain.History.Last["style"]);
    }

    [Fact]
    public void Masks_must_pair_up_and_match_their_images()
    {
        using var content = Image(32, 32, 19);
        using var style = Image(32, 32, 20);
        using var good = torch.ones(1, 1, 32, 32);
        using var wrong = torch.ones(1, 1, 16, 32);
        Assert.Throws<ArgumentException>(() => Gatys.Run(RandomVgg.Value, content, style, Quick(1), new GatysMasks([good, good], [good])));
        var e = Assert.Throws<ArgumentException>(() => Gatys.Run(RandomVgg.Value, content, style, Quick(1), new GatysMasks([wrong], [good])));
        Assert.Contains("content mask 0", e.Message);
    }

    [Fact]
    public void Luminance_transfer_keeps_the_contents_chrominance()
    {
        using var content = Image(32, 32, 21);
        using var style = Image(32, 32, 22);
        using var result = Gatys.Run(RandomVgg.Value, content, style, Quick(3) with { PreserveColor = ColorPreservation.Luminance });
        using var scope = NewDisposeScope();
        // Where no channel was clipped to [0,1], the output's chrominance (I, Q) is exactly the content's.
        var inside = (result.Image > 1e-3).logical_and(result.Image < 1 - 1e-3).all(1, keepdim: true);
        var chrominance = ColorTransfer.RgbToYiq(result.Image).narrow(1, 1, 2);
        var expected = ColorTransfer.RgbToYiq(content).narrow(1, 1, 2);
        Assert.True(inside.sum().item<long>() > 100);
        Assert.True(((chrominance - expected).abs() * inside).max().item<float>() < 1e-4);
    }

    [Fact]
    public void Histogram_matching_runs_and_keeps_the_size()
    {
        using var content = Image(32, 32, 23);
        using var style = Image(40, 40, 24);
        using var result = Gatys.Run(RandomVgg.Value, content, style, Quick(2) with { PreserveColor = ColorPreservation.Histogram });
        Assert.Equal(content.shape, result.Image.shape);
    }

    [Fact]
    public void Layers_deeper_than_the_encoder_are_named_in_the_error()
    {
        var weights = VggLayers.Convolutions.TakeWhile(c => c.Block <= 3).SelectMany(c => new[]
        {
            ($"features.{c.Index}.weight", randn(c.OutChannels, c.InChannels, 3, 3) * 0.05),
            ($"features.{c.Index}.bias", zeros(c.OutChannels)),
        }).ToDictionary(p => p.Item1, p => p.Item2);
        using var shallow = Vgg19Encoder.FromStateDict(weights, Preprocessing.Caffe, source: "partial.safetensors");
        using var content = Image(32, 32, 25);
        var e = Assert.Throws<ArgumentException>(() => Gatys.Run(shallow, content, content, GatysOptions.Paper with { Steps = 1 }));
        Assert.Contains("relu4_", e.Message);
        Assert.Same(GatysOptions.Shallow, GatysOptions.For(shallow));
        Assert.Same(GatysOptions.Paper, GatysOptions.For(RandomVgg.Value));
    }

    [SkippableFact]
    public void Shallow_preset_on_shared_vgg_makes_the_style_loss_fall_by_90_percent()
    {
        Skip.If(TestPaths.SharedVgg is null, "../shared's partial VGG-19 is absent");
        var data = Path.Combine(TestPaths.Shared!, "data");
        using var encoder = Vgg19Encoder.Load(TestPaths.SharedVgg!);
        var size = new ImageLoadOptions { Size = Resize.Exact(128, 128) };
        using var content = ImageIO.Load(Path.Combine(data, "content", "chicago.jpg"), size);
        using var style = ImageIO.Load(Path.Combine(data, "style", "Starry.jpg"), size);
        using var result = Gatys.Run(encoder, content, style, GatysOptions.Shallow with { Steps = 40 });
        var styleLoss = result.History.Series("style");
        Assert.True(styleLoss[^1].Value <= 0.1 * styleLoss[0].Value, $"style loss {styleLoss[0].Value:E3} → {styleLoss[^1].Value:E3}");
    }
}
