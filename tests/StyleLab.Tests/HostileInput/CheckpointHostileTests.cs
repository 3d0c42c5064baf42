using StyleLab.Tests.Training;
using StyleLab.Training;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Tests.HostileInput;

/// <summary>
/// A training checkpoint is validated against the run it resumes before any of it reaches libtorch, which
/// aborts the whole process (exit 134, no exception) on a generator state of the wrong size.
/// </summary>
[Trait("Category", "HostileInput")]
public class CheckpointHostileTests : IDisposable
{
    static readonly ImageFolderOptions Crops = new(BatchSize: 2, ResizeTo: 12, CropSize: 8, Seed: 5);
    static readonly TrainingOptions Options = new(Steps: 4, LearningRate: 0.02, CheckpointEvery: 0);
    readonly TinyImageFolder _images = new(corrupt: false);
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-hostile-checkpoints-").FullName;

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A genuine checkpoint after 2 steps, then <paramref name="tamper"/> applied to its tensors.</summary>
    string Tampered(string name, Action<Dictionary<string, Tensor>> tamper)
    {
        string path = Path.Combine(_folder, name + ".safetensors");
        using (var model = new ColourMixModel())
        using (var loop = new TrainingLoop(model, new ImageFolderDataset(_images.Path, Crops), Options with { Steps = 2, CheckpointPath = path }))
            loop.Run();
        var tensors = SafeTensors.Load(path, out var metadata);
        tamper(tensors);
        SafeTensors.Save(path, tensors, metadata);
        foreach (var t in tensors.Values) t.Dispose();
        return path;
    }

    void AssertRefused(string path, string expected, TrainingOptions? options = null)
    {
        using var model = new ColourMixModel();
        using var loop = new TrainingLoop(model, new ImageFolderDataset(_images.Path, Crops), options ?? Options);
        var error = Assert.Throws<WeightFileException>(() => loop.Resume(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Equal(0, loop.Step);
    }

    [Fact]
    public void A_generator_state_of_the_wrong_size_is_refused_naming_the_tensor_instead_of_aborting_the_process()
    {
        var path = Tampered("short-rng", t => { t["rng.torch"].Dispose(); t["rng.torch"] = zeros([10], ScalarType.Byte); });
        AssertRefused(path, "rng.torch");
    }

    [Fact]
    public void A_generator_state_of_another_dtype_is_refused()
    {
        var path = Tampered("float-rng", t => { var r = t["rng.torch"]; t["rng.torch"] = r.to(ScalarType.Float32); r.Dispose(); });
        AssertRefused(path, "rng.torch");
    }

    [Fact]
    public void A_model_tensor_of_another_shape_or_dtype_is_refused_naming_it()
    {
        var shape = Tampered("wide-weight", t => { t["model.weight"].Dispose(); t["model.weight"] = zeros([4, 3, 1, 1]); });
        AssertRefused(shape, "model.weight");
        var dtype = Tampered("double-bias", t => { var b = t["model.bias"]; t["model.bias"] = b.to(ScalarType.Float64); b.Dispose(); });
        AssertRefused(dtype, "model.bias");
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused_naming_the_missing_tensor()
    {
        var path = Tampered("no-bias", t => { t["model.bias"].Dispose(); t.Remove("model.bias"); });
        AssertRefused(path, "bias");
    }

    [Fact]
    public void An_optimiser_state_of_the_wrong_length_is_refused()
    {
        var path = Tampered("short-adam", t => { var o = t["optimizer"]; t["optimizer"] = o[..^7].clone(); o.Dispose(); });
        AssertRefused(path, "optimiser state");
    }

    [Fact]
    public void Resuming_a_checkpoint_already_at_the_requested_steps_says_there_is_nothing_to_do()
    {
        var path = Tampered("done", _ => { });
        foreach (int steps in new[] { 1, 2 })
        {
            using var model = new ColourMixModel();
            using var loop = new TrainingLoop(model, new ImageFolderDataset(_images.Path, Crops), Options with { Steps = steps });
            var error = Assert.Throws<InvalidOperationException>(() => loop.Resume(path));
            Assert.Contains("Nothing to do", error.Message);
            Assert.Contains("step 2", error.Message);
        }
    }

    [Fact]
    public void A_genuine_checkpoint_still_resumes()
    {
        var path = Tampered("genuine", _ => { });
        using var model = new ColourMixModel();
        using var loop = new TrainingLoop(model, new ImageFolderDataset(_images.Path, Crops), Options);
        loop.Resume(path);
        Assert.Equal(2, loop.Step);
        loop.Run();
        Assert.Equal(4, loop.Step);
    }

    [Fact]
    public void Non_finite_learning_rates_are_refused_before_training()
    {
        using var model = new ColourMixModel();
        foreach (double rate in new[] { double.NaN, double.PositiveInfinity, -1 })
            Assert.Throws<ArgumentOutOfRangeException>(() =>
                new TrainingLoop(model, new ImageFolderDataset(_images.Path, Crops), Options with { LearningRate = rate }));
    }
}
