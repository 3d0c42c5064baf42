using StyleLab.Imaging;
using StyleLab.Methods.CAST;
using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Tests.CAST;

/// <summary>The offline short-run options (warm-up, re-encoded negatives) on tiny synthetic data: order of the losses and bit-exact resumption.</summary>
public class ShortRunOptionsTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"stylelab-cast-{Guid.NewGuid():N}");

    public ShortRunOptionsTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "photos"));
        Directory.CreateDirectory(Path.Combine(_folder, "paintings"));
        var generator = new Generator(5);
        for (int i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            var y = linspace(0, 1, 40).view(1, 1, 40, 1).expand(1, 1, 40, 40);
            ImageIO.Save(cat([y * (i + 1) / 3, y.transpose(2, 3), full(new long[] { 1, 1, 40, 40 }, 0.3 * i)], 1), Path.Combine(_folder, "photos", $"p{i}.png"));
            ImageIO.Save(rand([1, 3, 40, 40], generator: generator), Path.Combine(_folder, "paintings", $"s{i}.png"));
        }
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    static readonly CastOptions Options = new(QueueSize: 2, WarmupSteps: 2, RefreshNegatives: true, LearningRateNce: 1e-3);

    (LossHistory History, Dictionary<string, Tensor> State) Train(int steps, string? checkpoint, string? resumeFrom)
    {
        using var saved = random.get_rng_state();
        random.manual_seed(3);
        using var training = new CastTraining(CastGenerator.Random("relu2_1", seed: 1), new MultiLayerStyleProjector(), new ProjectionHead(),
            new CastDiscriminator(), new CastDiscriminator(), Options, seed: 2);
        random.set_rng_state(saved);
        var data = new ImagePairDataset(Path.Combine(_folder, "photos"), Path.Combine(_folder, "paintings"),
            new ImageFolderOptions(BatchSize: 1, ResizeTo: 36, CropSize: 32, Seed: 4));
        using var loop = new TrainingLoop<ImagePair>(training, data, new TrainingOptions(steps, CheckpointEvery: 0, CheckpointPath: checkpoint, LogEvery: 1, Seed: 4));
        if (resumeFrom is not null) loop.Resume(resumeFrom);
        loop.Run();
        return (loop.History, training.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone()));
    }

    [Fact]
    public void The_warm_up_phase_reconstructs_first_the_negative_crops_are_kept_and_a_run_resumes_bit_exactly_across_the_switch()
    {
        var (whole, state) = Train(4, null, null);
        Assert.Equal([1, 2], whole.Series("warm-up/rec_A").Select(p => p.Step));
        Assert.Equal([3, 4], whole.Series("G/cycle").Select(p => p.Step));
        // Four query crops through a ring of two: both slots written, the next one is slot 0.
        Assert.Equal([0L, 2L], state["cast.negative_crops_ptr"].data<long>().ToArray());
        Assert.Equal([2L, 3, 32, 32], state["cast.negative_crops"].shape);

        var checkpoint = Path.Combine(_folder, "in-warmup.ckpt");
        Train(1, checkpoint, null); // interrupted inside the warm-up, with one crop stored
        var (resumed, resumedState) = Train(4, null, checkpoint);
        foreach (var term in new[] { "P/nce", "warm-up/rec_A", "warm-up/rec_B", "G/cycle", "G/nce_style", "D/total" })
            Assert.Equal(whole.Series(term), resumed.Series(term));
        foreach (var (key, value) in state)
            Assert.True(value.equal(resumedState[key]).all().item<bool>(), $"{key} differs");
    }
}
