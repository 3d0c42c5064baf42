using StyleLab.Methods.Saae;
using StyleLab.Tests.Training;
using StyleLab.Training;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Tests.Saae;

public class SaaeTrainingTests(FontsFixture fixture) : IClassFixture<FontsFixture>, IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-saae-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string PathOf(string name) => Path.Combine(_folder, name);

    SaaeTraining Fresh(long initSeed, int warmup = 2)
    {
        random.manual_seed(initSeed);
        return new SaaeTraining(Tiny.Model, new SaaeTrainingOptions(WarmupSteps: warmup));
    }

    GlyphDataset Data() => new(fixture.Fonts, Tiny.Data(seed: 4));

    [Fact]
    public void Each_step_of_the_schedule_lowers_its_loss_on_a_fixed_batch()
    {
        using var model = Fresh(1, warmup: 0);
        using var data = Data();
        using var batch = data.NextBatch();
        string[] names = ["R", "D", "G"];
        for (int phase = 0; phase < 3; phase++)
        {
            double Loss()
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                return model.Phases[phase].Loss(batch).Total.item<float>();
            }
            double before = Loss();
            using (var loop = new TrainingLoop<SaaeBatch>(new OnePhase(model, phase), new FixedBatch(batch),
                new TrainingOptions(Steps: 1, LearningRate: 1e-3, CheckpointEvery: 0)))
                loop.Run();
            double after = Loss();
            Assert.True(after < before, $"{names[phase]}: {before} → {after}");
        }
    }

    [Fact]
    public void The_three_phases_record_their_terms_and_the_adversary_waits_for_the_warm_up()
    {
        using var model = Fresh(1, warmup: 2);
        using var data = Data();
        using var loop = new TrainingLoop<SaaeBatch>(model, data, new TrainingOptions(Steps: 3, CheckpointEvery: 0));
        var generatorBefore = model.Generator.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        loop.Run();
        Assert.Equal(["R/L1", "R/total", "D/real", "D/fake", "D/total", "G/adv", "G/total"], loop.History.Names);
        Assert.Equal([0.0, 0.0], loop.History.Series("G/total").Take(2).Select(p => p.Value));
        Assert.NotEqual(0.0, loop.History.Series("G/total")[2].Value);
        Assert.Equal(3, model.Step);
        foreach (var t in generatorBefore.Values) t.Dispose();
    }

    [Fact]
    public void A_resumed_run_continues_bit_exactly()
    {
        var options = new TrainingOptions(Steps: 6, CheckpointEvery: 0, Seed: 5);
        using var straightModel = Fresh(1);
        using var straightData = Data();
        using var straight = new TrainingLoop<SaaeBatch>(straightModel, straightData, options);
        straight.Run();

        string path = PathOf("half.safetensors");
        using (var firstModel = Fresh(1))
        using (var firstData = Data())
        using (var first = new TrainingLoop<SaaeBatch>(firstModel, firstData, options with { Steps = 3, CheckpointPath = path }))
            first.Run();

        using var resumedModel = Fresh(42);   // other weights: everything must come from the checkpoint
        using var resumedData = Data();
        using var resumed = new TrainingLoop<SaaeBatch>(resumedModel, resumedData, options with { Seed = 99 });
        resumed.Resume(path);
        resumed.Run();

        foreach (var name in straight.History.Names)
            Assert.Equal(straight.History.Series(name), resumed.History.Series(name));
        var expected = straightModel.StateDict();
        var actual = resumedModel.StateDict();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, kv => Assert.True(Bits.Identical(kv.Value, actual[kv.Key]), kv.Key));
    }

    [Fact]
    public void A_saved_generator_loads_for_sampling_and_draws_the_same_images()
    {
        string path = PathOf("model.safetensors");
        using var model = Fresh(1);
        using var data = Data();
        using (var loop = new TrainingLoop<SaaeBatch>(model, data, new TrainingOptions(Steps: 2, CheckpointPath: path)))
            loop.Run();
        using var loaded = SaaeGenerator.Load(path);
        Assert.Equal(Tiny.Model, loaded.Options);
        using var batch = data.NextBatch();
        using var expected = model.Generator.Inference(() => model.Generator.forward(batch.Content, batch.Exemplar));
        using var actual = loaded.Inference(() => loaded.forward(batch.Content, batch.Exemplar));
        Assert.True(Bits.Identical(expected, actual));
    }

    [Fact]
    public void A_corrupt_checkpoint_is_named_in_a_clear_error()
    {
        string path = PathOf("corrupt.safetensors");
        File.WriteAllBytes(path, "not a checkpoint at all"u8.ToArray());
        var e = Assert.Throws<WeightFileException>(() => SaaeGenerator.Load(path).Dispose());
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused_by_name()
    {
        string path = PathOf("classifier.safetensors");
        using (GlyphClassifier.Train(fixture.Fonts, steps: 1, imageSize: 16, checkpointPath: path)) { }
        var e = Assert.Throws<WeightFileException>(() => SaaeGenerator.Load(path).Dispose());
        Assert.Contains("not an SAAE checkpoint", e.Message);
    }

    [Fact]
    public void Loading_a_state_of_other_sizes_says_which()
    {
        using var small = Fresh(1);
        random.manual_seed(1);
        using var wide = new SaaeTraining(Tiny.Model with { Channels = 12 });
        var e = Assert.Throws<InvalidDataException>(() => small.LoadStateDict(wide.StateDict()));
        Assert.Contains("Channels = 12", e.Message);
    }
}
