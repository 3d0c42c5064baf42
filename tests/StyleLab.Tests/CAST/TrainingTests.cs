using StyleLab.Imaging;
using StyleLab.Methods.CAST;
using StyleLab.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace StyleLab.Tests.CAST;

public class TrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void Three_phases_run_in_the_official_order_with_their_own_optimiser_settings_and_disjoint_parameters()
    {
        using var training = new CastTraining(CastGenerator.Random("relu2_1", seed: 1), new MultiLayerStyleProjector(), new ProjectionHead(),
            new CastDiscriminator(), new CastDiscriminator(), new CastOptions(QueueSize: 8));
        Assert.Equal(["D", "P", "G"], training.Phases.Select(p => p.Name));
        Assert.All(training.Phases, p => Assert.Equal((1e-4, 0.5, 0.999), (p.LearningRate!.Value, p.Beta1, p.Beta2)));
        var sets = training.Phases.Select(p => p.Parameters.Select(q => q.Handle).ToHashSet()).ToList();
        Assert.Empty(sets[0].Intersect(sets[1]));
        Assert.Empty(sets[1].Intersect(sets[2]));
        Assert.Empty(sets[0].Intersect(sets[2]));
        // Phase P reaches only stage 0 of the style VGG (the official default layer) and head 0.
        Assert.Equal(training.Projector.ParametersFor([0]).Count() + training.Heads.ParametersFor([0]).Count(), sets[1].Count);
        var keys = training.StateDict().Keys.ToList();
        Assert.Contains("AE.enc_1.0.weight", keys);
        Assert.Contains("Dec_B.decoder.1.weight", keys);
        Assert.Contains("D.conv1x1_0.weight", keys);
        Assert.Contains("P_style.projector0.4.weight", keys);
        Assert.Contains("D_A.model.14.weight", keys);
        Assert.Contains("nce_loss.queue_data_B0", keys);
    }

    [SkippableFact]
    public void A_short_offline_run_lowers_the_contrastive_loss_and_separates_paintings()
    {
        Skip.If(TestPaths.SharedVgg is null || TestPaths.Shared is null, "../shared (partial VGG, sample images) is absent");
        var shared = TestPaths.Shared!;
        int steps = int.TryParse(Environment.GetEnvironmentVariable("CAST_TEST_STEPS"), out var s) ? s : 40;
        var options = new CastOptions(QueueSize: 32);
        using var training = CastTraining.Offline(TestPaths.SharedVgg!, options, mspFromImageNet: Environment.GetEnvironmentVariable("CAST_MSP_IMAGENET") == "1");
        var codes = StyleCodes.From(training, size: 64);
        var paintings = Directory.GetFiles(Path.Combine(shared, "data", "style")).Order().ToList();
        double before = Margin(codes, paintings);
        var data = new ImagePairDataset(Path.Combine(shared, "data", "content"), Path.Combine(shared, "data", "style"),
            new ImageFolderOptions(BatchSize: 2, ResizeTo: 80, CropSize: 64));
        using var loop = new TrainingLoop<ImagePair>(training, data, new TrainingOptions(steps, LogEvery: 10));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        loop.Run(new Progress<TrainingReport>(r => output.WriteLine($"{r.Step}: {string.Join(" ", r.Losses.Select(kv => $"{kv.Key}={kv.Value:F3}"))} {r.SecondsPerStep:F2}s/step")));
        var nce = loop.History.Series("P/nce").Select(p => p.Value).ToList();
        double first = nce.Take(10).Average(), last = nce.TakeLast(10).Average();
        double after = Margin(codes, paintings);
        output.WriteLine($"{steps} steps in {clock.Elapsed.TotalSeconds:F0}s; P/nce {first:F3} → {last:F3}; margin {before:F4} → {after:F4}");
        Assert.True(last < first, $"contrastive loss did not fall: {first:F3} → {last:F3}");
        Assert.True(after > 0, $"crops of one painting are not closer than crops of different paintings (margin {after:F4})");
    }

    /// <summary>Mean cosine distance between crops of different paintings minus that between crops of the same painting.</summary>
    static double Margin(StyleCodes codes, IReadOnlyList<string> paintings)
    {
        using var scope = NewDisposeScope();
        const int crops = 4;
        var generator = new Generator(7);
        var all = new List<Tensor>();
        foreach (var path in paintings)
        {
            var image = ImageIO.Load(path, new ImageLoadOptions { Size = Resize.LongestSide(128) });
            long h = image.shape[2], w = image.shape[3], c = Math.Min(Math.Min(h, w), 64);
            for (int k = 0; k < crops; k++)
            {
                long top = randint(0, h - c + 1, [1], generator: generator).item<long>(), left = randint(0, w - c + 1, [1], generator: generator).item<long>();
                all.Add(image.narrow(2, top, c).narrow(3, left, c));
            }
        }
        var z = codes.Of(all);
        var distance = 1 - StyleCodes.Similarity(z, z);
        var owner = arange(paintings.Count).repeat_interleave(crops);
        var same = owner.unsqueeze(1).eq(owner.unsqueeze(0)) & ~eye(all.Count, dtype: ScalarType.Bool);
        var different = owner.unsqueeze(1).ne(owner.unsqueeze(0));
        return distance.masked_select(different).mean().item<float>() - distance.masked_select(same).mean().item<float>();
    }
}
