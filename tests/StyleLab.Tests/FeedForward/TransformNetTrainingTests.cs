using StyleLab.Encoders;
using StyleLab.Methods.FeedForward;
using StyleLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.FeedForward;

/// <summary>Perceptual-loss training (Johnson et al. 2016, §3) on tiny images.</summary>
public class TransformNetTrainingTests
{
    static IEnumerable<Tensor> Repeat(Tensor batch, int steps) => Enumerable.Repeat(batch, steps);

    [Fact]
    public void Perceptual_loss_decreases_and_reports_named_terms_for_LossHistory()
    {
        torch.random.manual_seed(3);
        using var encoder = Vgg19Encoder.Random(seed: 1, preprocessing: Preprocessing.Caffe);
        using var net = new TransformNet();
        using var style = torch.rand(1, 3, 32, 32);
        using var content = torch.rand(2, 3, 32, 32);
        var history = new LossHistory();
        var reports = new List<TransformNetTrainingReport>();
        var progress = new Inline<TransformNetTrainingReport>(r => { reports.Add(r); history.Add(r.Step, r.Terms); });

        var last = TransformNetTraining.Train(net, encoder, style, Repeat(content, 12), new TransformNetTrainingOptions(StyleWeight: 50), progress);

        Assert.Equal(12, reports.Count);
        Assert.Same(reports[^1], last);
        Assert.Equal(["content", "style", "tv", "total"], history.Names);
        Assert.Equal(TransformNetTrainingOptions.PaperStyleLayers, last!.StyleLayers);
        var total = history.Series("total");
        Assert.True(total[^1].Value < 0.8 * total[0].Value, $"total {total[0].Value} → {total[^1].Value}");
        foreach (var r in reports)
            Assert.Equal(r.Terms["content"] + r.Terms["style"] + r.Terms["tv"], r.Terms["total"], 1e-3 * r.Terms["total"]);
    }

    [SkippableFact]
    public void The_partial_VGG_trains_with_the_style_layers_it_has()
    {
        Skip.If(TestPaths.SharedVgg is null, "../shared VGG is absent");
        using var encoder = Vgg19Encoder.Load(TestPaths.SharedVgg!);
        using var net = new TransformNet();
        var last = TransformNetTraining.Train(net, encoder, torch.rand(1, 3, 24, 24), Repeat(torch.rand(1, 3, 24, 24), 2));
        Assert.Equal(["relu1_2", "relu2_2", "relu3_3"], last!.StyleLayers);
        Assert.All(last.Terms.Values, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void A_non_finite_loss_stops_before_Adam_with_the_step_and_the_weights_of_the_step_before()
    {
        torch.random.manual_seed(4);
        using var encoder = Vgg19Encoder.Random(seed: 1);
        using var net = new TransformNet();
        using var good = torch.rand(1, 3, 16, 16);
        using var bad = good.clone();
        bad[0, 0, 3, 3] = torch.tensor(float.NaN);
        Tensor[] batches = [good, good, bad, good];
        var before = new Dictionary<string, Tensor>();
        var progress = new Inline<TransformNetTrainingReport>(r =>
        {
            if (r.Step == 2) foreach (var (name, p) in net.named_parameters()) before[name] = p.detach().clone().DetachFromDisposeScope(); // reported inside the step's scope
        });

        var e = Assert.Throws<InvalidOperationException>(() => TransformNetTraining.Train(net, encoder, torch.rand(1, 3, 16, 16), batches, progress: progress));
        Assert.Contains("step 3", e.Message);
        Assert.Contains("step 2's weights", e.Message);
        foreach (var (name, p) in net.named_parameters())
            Assert.True(p.detach().equal(before[name]).all().item<bool>(), $"{name} changed after the diverged step");
    }

    [Fact]
    public void Cancellation_stops_between_steps()
    {
        using var encoder = Vgg19Encoder.Random(seed: 1);
        using var net = new TransformNet();
        using var cts = new CancellationTokenSource();
        int steps = 0;
        var progress = new Inline<TransformNetTrainingReport>(_ => { if (++steps == 2) cts.Cancel(); });
        Assert.Throws<OperationCanceledException>(() =>
            TransformNetTraining.Train(net, encoder, torch.rand(1, 3, 16, 16), Repeat(torch.rand(1, 3, 16, 16), 10), progress: progress, cancellationToken: cts.Token));
        Assert.Equal(2, steps);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
