using StyleLab.Training;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Tests.Training;

public class TrainingLoopTests : IDisposable
{
    static readonly ImageFolderOptions Crops = new(BatchSize: 2, ResizeTo: 12, CropSize: 8, Seed: 5);
    readonly TinyImageFolder _images = new();
    readonly string _checkpoints = Directory.CreateTempSubdirectory("stylelab-checkpoints-").FullName;

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_checkpoints, recursive: true);
    }

    string CheckpointPath(string name) => Path.Combine(_checkpoints, name + ".safetensors");

    /// <summary>Fresh objects, as a new process would build them; the weights start from <paramref name="initSeed"/>.</summary>
    (ColourMixModel Model, ImageFolderDataset Data) Fresh(long initSeed = 1, int? nanAtCall = null, int? nanGradientAtCall = null,
        Action<int>? duringLoss = null, bool batchNorm = false)
    {
        random.manual_seed(initSeed);
        return (new ColourMixModel { NanAtCall = nanAtCall, NanGradientAtCall = nanGradientAtCall, DuringLoss = duringLoss, BatchNormStatistics = batchNorm },
            new ImageFolderDataset(_images.Path, Crops));
    }

    [Fact]
    public void Training_lowers_the_loss_and_reports_progress()
    {
        var (model, data) = Fresh();
        using var _ = model;
        var reports = new List<TrainingReport>();
        using var loop = new TrainingLoop(model, data, new TrainingOptions(Steps: 40, LearningRate: 0.05, LogEvery: 10));
        loop.Run(new InlineProgress<TrainingReport>(reports.Add));

        var total = loop.History.Series("total");
        Assert.Equal(40, total.Count);
        Assert.True(total[^1].Value < 0.2 * total[0].Value, $"loss {total[0].Value} → {total[^1].Value}");
        Assert.Equal([10, 20, 30, 40], reports.Select(r => r.Step));
        Assert.Equal(["mse", "decay", "total"], reports[^1].Losses.Keys);
        Assert.All(reports, r => Assert.True(r.SecondsPerStep > 0));
    }

    [Fact]
    public void A_resumed_run_continues_bit_exactly_like_an_uninterrupted_one()
    {
        const int N = 6;
        var options = new TrainingOptions(Steps: 2 * N, LearningRate: 0.02, CheckpointEvery: 0, Seed: 11);

        var (straightModel, straightData) = Fresh();
        using var _a = straightModel;
        using var straight = new TrainingLoop(straightModel, straightData, options);
        straight.Run();

        var (firstModel, firstData) = Fresh();
        using var _b = firstModel;
        using (var first = new TrainingLoop(firstModel, firstData, options with { Steps = N, CheckpointPath = CheckpointPath("half") }))
            first.Run();

        // Different initial weights and a disturbed generator: everything must come from the checkpoint.
        var (resumedModel, resumedData) = Fresh(initSeed: 99);
        using var _c = resumedModel;
        using var resumed = new TrainingLoop(resumedModel, resumedData, options with { Seed = 12345 });
        resumed.Resume(CheckpointPath("half"));
        Assert.Equal(N, resumed.Step);
        resumed.Run();

        foreach (var name in straight.History.Names)
            Assert.Equal(straight.History.Series(name), resumed.History.Series(name)); // exact doubles
        var expected = straightModel.StateDict();
        var actual = resumedModel.StateDict();
        Assert.Equal(expected.Keys, actual.Keys);
        Assert.All(expected, kv => Assert.True(Bits.Identical(kv.Value, actual[kv.Key]), kv.Key));
        Assert.Equal(straightData.Position, resumedData.Position);
    }

    [Fact]
    public void An_interrupted_save_leaves_the_previous_checkpoint_loadable()
    {
        string path = CheckpointPath("run");
        var (model, data) = Fresh();
        using var _ = model;
        using var loop = new TrainingLoop(model, data, new TrainingOptions(Steps: 3, LearningRate: 0.01, CheckpointPath: path));
        loop.Run();

        // A kill mid-write leaves a truncated temporary file behind…
        File.WriteAllBytes(path + ".tmp", File.ReadAllBytes(path)[..40]);
        // …and a save that fails part-way through never touches the real file.
        using var disposed = zeros(2);
        disposed.Dispose();
        using var rng = random.get_rng_state();
        var broken = new Checkpoint(9, new Dictionary<string, Tensor> { ["w"] = disposed }, [], rng, default, []);
        Assert.ThrowsAny<Exception>(() => broken.Save(path));

        using var loaded = Checkpoint.Load(path);
        Assert.Equal(3, loaded.Step);
        Assert.Equal(3, loaded.Losses.Count);
        Assert.Throws<WeightFileException>(() => Checkpoint.Load(path + ".tmp"));

        // The next save simply replaces the stale temporary file.
        loop.SaveCheckpoint(path);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void A_NaN_loss_stops_with_an_error_naming_step_and_term_and_keeps_the_last_good_checkpoint()
    {
        string path = CheckpointPath("diverging");
        var (model, data) = Fresh(nanAtCall: 5);
        using var _ = model;
        using var loop = new TrainingLoop(model, data, new TrainingOptions(Steps: 10, LearningRate: 0.01, CheckpointEvery: 2, CheckpointPath: path));

        var e = Assert.Throws<InvalidOperationException>(() => loop.Run());
        Assert.Contains("step 5", e.Message);
        Assert.Contains("'mse'", e.Message);
        Assert.Equal(4, loop.Step);
        using var last = Checkpoint.Load(path);
        Assert.Equal(4, last.Step);
    }

    [Fact]
    public void A_NaN_gradient_under_a_finite_loss_stops_before_Adam_and_before_any_write_and_says_what_is_on_disk()
    {
        string path = CheckpointPath("nan-gradient");
        var (model, data) = Fresh(nanGradientAtCall: 5);
        using var _ = model;
        using var loop = new TrainingLoop(model, data, new TrainingOptions(Steps: 10, LearningRate: 0.01, CheckpointEvery: 2, CheckpointPath: path));

        var e = Assert.Throws<InvalidOperationException>(() => loop.Run());
        Assert.Contains("step 5", e.Message);
        Assert.Contains("gradient of parameter 'weight' [3,3,1,1] is not finite", e.Message);
        Assert.Contains("the weights in memory are those of step 4", e.Message);
        Assert.Contains($"the checkpoint '{path}' holds step 4", e.Message);
        Assert.Equal(4, loop.Step);
        // Adam never saw the NaN: the weights are still step 4's, bit for bit, and finite.
        using var last = Checkpoint.Load(path);
        Assert.Equal(4, last.Step);
        Assert.All(model.StateDict(), kv => Assert.True(Bits.Identical(kv.Value, last.Model[kv.Key]), kv.Key));
        Assert.Null(NonFiniteValues.Find(model.StateDict()));
    }

    [Theory]
    [InlineData(true, "no checkpoint was written")]
    [InlineData(false, "this run writes no checkpoint")]
    public void A_divergence_before_any_checkpoint_says_that_none_exists(bool withPath, string truth)
    {
        string path = CheckpointPath("never-written");
        var (model, data) = Fresh(nanGradientAtCall: 1);
        using var _ = model;
        using var loop = new TrainingLoop(model, data, new TrainingOptions(Steps: 4, LearningRate: 0.01, CheckpointEvery: 2, CheckpointPath: withPath ? path : null));

        var e = Assert.Throws<InvalidOperationException>(() => loop.Run());
        Assert.Contains("step 1", e.Message);
        Assert.Contains(truth, e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Cancellation_writes_a_checkpoint_then_throws()
    {
        string path = CheckpointPath("cancelled");
        var (model, data) = Fresh();
        using var _ = model;
        using var cancel = new CancellationTokenSource();
        using var loop = new TrainingLoop(model, data, new TrainingOptions(Steps: 100, LearningRate: 0.01, CheckpointEvery: 0, CheckpointPath: path, LogEvery: 1));

        var progress = new InlineProgress<TrainingReport>(r => { if (r.Step == 3) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => loop.Run(progress, cancel.Token));
        using var saved = Checkpoint.Load(path);
        Assert.Equal(3, saved.Step);
        Assert.Equal([1, 2, 3], saved.Losses.Select(l => l.Step));
    }

    [Fact]
    public void Cancellation_inside_a_step_stops_before_any_weight_changes_and_checkpoints_the_last_whole_step()
    {
        string path = CheckpointPath("cancelled-mid-step");
        using var cancel = new CancellationTokenSource();
        var (model, data) = Fresh(duringLoss: call => { if (call == 4) cancel.Cancel(); });
        using var _ = model;
        using var loop = new TrainingLoop(model, data, new TrainingOptions(Steps: 100, LearningRate: 0.01, CheckpointEvery: 0, CheckpointPath: path, LogEvery: 1));

        Assert.Throws<OperationCanceledException>(() => loop.Run(cancellation: cancel.Token));
        Assert.Equal(3, loop.Step);
        using var saved = Checkpoint.Load(path);
        Assert.Equal(3, saved.Step);
        // The cancelled step's forward pass ran, but its gradients never reached Adam: memory is step 3.
        foreach (var (name, weight) in model.StateDict()) Assert.True(Bits.Identical(weight, saved.Model[name]), name);
    }

    [Fact]
    public void A_step_cancelled_while_it_computes_returns_at_once_and_is_redone_exactly_by_the_same_loop_and_from_its_checkpoint()
    {
        const int N = 6;
        var options = new TrainingOptions(Steps: N, LearningRate: 0.02, CheckpointEvery: 0, Seed: 11);
        var (straightModel, straightData) = Fresh();
        using var _a = straightModel;
        using (var straight = new TrainingLoop(straightModel, straightData, options)) straight.Run();

        // Step 4's forward pass is slow, like a backward pass of a large batch on a CPU, which nothing can interrupt.
        string path = CheckpointPath("abandoned");
        using var cancel = new CancellationTokenSource();
        var clock = new System.Diagnostics.Stopwatch();
        var (model, data) = Fresh(duringLoss: call =>
        {
            if (call != 4) return;
            clock.Start();
            cancel.Cancel();
            Thread.Sleep(3000);
        });
        using var _b = model;
        using var loop = new TrainingLoop(model, data, options with { CheckpointPath = path });
        Assert.Throws<OperationCanceledException>(() => loop.Run(cancellation: cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"Run returned {clock.Elapsed.TotalSeconds:F1} s after the cancellation");
        Assert.Equal(3, loop.Step);
        using (var saved = Checkpoint.Load(path)) Assert.Equal(3, saved.Step);
        string atCancellation = CheckpointPath("at-cancellation");
        File.Copy(path, atCancellation);

        // The same loop waits for the abandoned step to run out, then redoes step 4 from where it was.
        loop.Run();
        Assert.All(straightModel.StateDict(), kv => Assert.True(Bits.Identical(kv.Value, model.StateDict()[kv.Key]), kv.Key));

        // So does a new process from the checkpoint written at the cancellation.
        var (resumedModel, resumedData) = Fresh(initSeed: 99);
        using var _c = resumedModel;
        using var resumed = new TrainingLoop(resumedModel, resumedData, options with { Seed = 12345 });
        resumed.Resume(atCancellation);
        resumed.Run();
        Assert.All(straightModel.StateDict(), kv => Assert.True(Bits.Identical(kv.Value, resumedModel.StateDict()[kv.Key]), kv.Key));
        Assert.Equal(straightData.Position, resumedData.Position);
    }

    [Fact]
    public void A_step_of_a_model_whose_forward_pass_changes_state_is_waited_for_and_redone_exactly()
    {
        const int N = 6;
        var options = new TrainingOptions(Steps: N, LearningRate: 0.02, CheckpointEvery: 0, Seed: 11);
        var (straightModel, straightData) = Fresh(batchNorm: true);
        using var _a = straightModel;
        using (var straight = new TrainingLoop(straightModel, straightData, options)) straight.Run();

        using var cancel = new CancellationTokenSource();
        var (model, data) = Fresh(batchNorm: true, duringLoss: call =>
        {
            if (call != 4) return;
            cancel.Cancel();
            Thread.Sleep(1000);
        });
        using var _b = model;
        using var loop = new TrainingLoop(model, data, options with { CheckpointPath = CheckpointPath("batch-norm") });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Throws<OperationCanceledException>(() => loop.Run(cancellation: cancel.Token));
        // Batch-norm statistics would have moved under the checkpoint: the step was waited for, not abandoned.
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(0.9), $"Run returned after {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(3, loop.Step);
        loop.Run();
        Assert.All(straightModel.StateDict(), kv => Assert.True(Bits.Identical(kv.Value, model.StateDict()[kv.Key]), kv.Key));
    }
}
