using StyleLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Tests.Training;

/// <summary>
/// A two-player toy on image pairs: a "critic" 1×1 conv learns to tell content from style crops, and a
/// "mixer" 1×1 conv learns to make content look like style to the critic while staying near the
/// content. Two phases, two Adams (different betas), a pair batch: the shape of a GAN's training.
/// </summary>
sealed class ToyAdversary : ITrainable<ImagePair>, IDisposable
{
    readonly Conv2d _mixer = nn.Conv2d(3, 3, 1);
    readonly Conv2d _critic = nn.Conv2d(3, 1, 1);

    public ToyAdversary()
    {
        Phases =
        [
            new("D", _critic.parameters().ToList(), CriticLoss, LearningRate: 0.02, Beta1: 0.5),
            new("G", _mixer.parameters().ToList(), MixerLoss),
        ];
    }

    public IReadOnlyList<TrainingPhase<ImagePair>> Phases { get; }

    LossTerms CriticLoss(ImagePair batch)
    {
        using var fake = _mixer.forward(batch.Content).detach();
        var real = nn.functional.softplus(-_critic.forward(batch.Style)).mean();
        var faked = nn.functional.softplus(_critic.forward(fake + 0.01 * randn_like(fake))).mean();
        return new LossTerms(real + faked, new Dictionary<string, Tensor> { ["real"] = real, ["fake"] = faked });
    }

    LossTerms MixerLoss(ImagePair batch)
    {
        var mixed = _mixer.forward(batch.Content);
        var adversarial = nn.functional.softplus(-_critic.forward(mixed)).mean();
        var content = nn.functional.mse_loss(mixed, batch.Content);
        return new LossTerms(adversarial + content, new Dictionary<string, Tensor> { ["adv"] = adversarial, ["content"] = content });
    }

    public Dictionary<string, Tensor> StateDict() => new()
    {
        ["mixer.weight"] = _mixer.weight!, ["mixer.bias"] = _mixer.bias!,
        ["critic.weight"] = _critic.weight!, ["critic.bias"] = _critic.bias!,
    };

    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        using var _ = no_grad();
        foreach (var (name, target) in StateDict()) target.copy_(state[name]);
    }

    public void Dispose() { _mixer.Dispose(); _critic.Dispose(); }
}

public class PhasedTrainingTests : IDisposable
{
    static readonly ImageFolderOptions Crops = new(BatchSize: 2, ResizeTo: 12, CropSize: 8, Seed: 2);
    readonly TinyImageFolder _content = new(images: 5);
    readonly TinyImageFolder _style = new(images: 3, corrupt: false);
    readonly string _checkpoints = Directory.CreateTempSubdirectory("stylelab-phased-").FullName;

    public void Dispose()
    {
        _content.Dispose();
        _style.Dispose();
        Directory.Delete(_checkpoints, recursive: true);
    }

    (ToyAdversary, ImagePairDataset) Fresh(long initSeed)
    {
        random.manual_seed(initSeed);
        return (new ToyAdversary(), new ImagePairDataset(_content.Path, _style.Path, Crops));
    }

    [Fact]
    public void Pairs_are_deterministic_and_a_restored_position_gives_the_same_pairs()
    {
        var a = new ImagePairDataset(_content.Path, _style.Path, Crops);
        var b = new ImagePairDataset(_content.Path, _style.Path, Crops);
        BatchPosition saved = default;
        ImagePair? expected = null;
        for (int i = 0; i < 6; i++)
        {
            if (i == 4) saved = a.Position;
            using var x = a.NextBatch();
            using var y = b.NextBatch();
            Assert.Equal(new long[] { 2, 3, 8, 8 }, x.Style.shape);
            Assert.True(Bits.Identical(x.Content, y.Content) && Bits.Identical(x.Style, y.Style));
            if (i == 4) expected = new ImagePair(x.Content.clone(), x.Style.clone());
        }
        var resumed = new ImagePairDataset(_content.Path, _style.Path, Crops) { Position = saved };
        using var again = resumed.NextBatch();
        using (expected)
            Assert.True(Bits.Identical(again.Content, expected!.Content) && Bits.Identical(again.Style, expected.Style));
        Assert.Single(a.Warnings); // the content folder's corrupt file, named once
    }

    [Fact]
    public void Phases_record_prefixed_terms_and_a_resumed_run_continues_bit_exactly()
    {
        var options = new TrainingOptions(Steps: 8, LearningRate: 0.01, CheckpointEvery: 0, Seed: 3);
        var (straightModel, straightData) = Fresh(1);
        using var _a = straightModel;
        using var straight = new TrainingLoop<ImagePair>(straightModel, straightData, options);
        straight.Run();
        Assert.Equal(["D/real", "D/fake", "D/total", "G/adv", "G/content", "G/total"], straight.History.Names);

        string path = Path.Combine(_checkpoints, "half.safetensors");
        var (firstModel, firstData) = Fresh(1);
        using var _b = firstModel;
        using (var first = new TrainingLoop<ImagePair>(firstModel, firstData, options with { Steps = 4, CheckpointPath = path }))
            first.Run();
        var (resumedModel, resumedData) = Fresh(77);
        using var _c = resumedModel;
        using var resumed = new TrainingLoop<ImagePair>(resumedModel, resumedData, options with { Seed = 999 });
        resumed.Resume(path);
        resumed.Run();

        foreach (var name in straight.History.Names)
            Assert.Equal(straight.History.Series(name), resumed.History.Series(name));
        var expected = straightModel.StateDict();
        var actual = resumedModel.StateDict();
        Assert.All(expected, kv => Assert.True(Bits.Identical(kv.Value, actual[kv.Key]), kv.Key));
    }
}
