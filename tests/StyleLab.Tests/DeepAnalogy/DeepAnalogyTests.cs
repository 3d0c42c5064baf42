using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.DeepAnalogy;
using static TorchSharp.torch;

namespace StyleLab.Tests.DeepAnalogy;

public class DeepAnalogyTests
{
    static readonly DeepAnalogyOptions Quick = new()
    {
        Levels = DeepAnalogyOptions.PaperLevels.Skip(2).ToList(),   // relu3_1, relu2_1, relu1_1
        PatchMatchIterations = 2,
        DeconvolutionIterations = 3,
    };

    [Fact]
    public void A_run_gives_A_prime_B_and_every_levels_fields_and_reconstructions()
    {
        using var encoder = Vgg19Encoder.Random(seed: 2);
        using var a = rand(1, 3, 32, 28);
        using var bPrime = rand(1, 3, 24, 36);
        var reports = new List<DeepAnalogyProgress>();
        using var result = DeepImageAnalogy.Run(encoder, a, bPrime, Quick, new SynchronousProgress(reports));

        Assert.Equal(a.shape, result.APrime.shape);
        Assert.Equal(bPrime.shape, result.B.shape);
        Assert.Equal((32, 28, 24, 36), (result.AToB.Height, result.AToB.Width, result.AToB.TargetHeight, result.AToB.TargetWidth));
        Assert.Equal(["relu3_1", "relu2_1", "relu1_1"], result.Levels.Select(l => l.Layer));
        Assert.Null(result.Levels[0].ReconstructionBPrime);
        Assert.All(result.Levels.Skip(1), l => Assert.Equal(l.APrimeFeatures.shape, l.ReconstructionBPrime!.shape));
        Assert.All(result.Levels, l => Assert.Equal(a.shape, l.APrimeImage.shape));
        Assert.Equal(DeepAnalogyStage.Done, reports[^1].Stage);
        Assert.Contains(reports, r => r.Stage == DeepAnalogyStage.Deconvolution && r.Layer == "relu2_1");
        Assert.True(result.TimeByStage.ContainsKey(DeepAnalogyStage.PatchMatchBToA));
    }

    [Fact]
    public void The_same_seed_gives_the_same_analogy()
    {
        using var encoder = Vgg19Encoder.Random(seed: 3);
        using var a = rand(1, 3, 24, 24);
        using var bPrime = rand(1, 3, 24, 24);
        using var first = DeepImageAnalogy.Run(encoder, a, bPrime, Quick with { Seed = 9 });
        using var second = DeepImageAnalogy.Run(encoder, a, bPrime, Quick with { Seed = 9 });
        Assert.True(first.APrime.equal(second.APrime).all().item<bool>());
        Assert.True(first.BToA.Coordinates.equal(second.BToA.Coordinates).all().item<bool>());
    }

    [Fact]
    public void The_level_schedule_follows_the_encoder()
    {
        using var full = Vgg19Encoder.Random();
        Assert.Equal(["relu5_1", "relu4_1", "relu3_1", "relu2_1", "relu1_1"], DeepAnalogyOptions.For(full).Levels.Select(l => l.Layer));
        var partial = Vgg19Encoder.FromStateDict(
            VggLayers.Convolutions.TakeWhile(c => c.Index <= VggLayers.Get("conv3_4").Index)
                .SelectMany(c => new[] { ($"features.{c.Index}.weight", randn(c.OutChannels, c.InChannels, 3, 3)), ($"features.{c.Index}.bias", zeros(c.OutChannels)) })
                .ToDictionary(p => p.Item1, p => p.Item2), Preprocessing.Caffe);
        var levels = DeepAnalogyOptions.For(partial).Levels;
        Assert.Equal(["relu3_1", "relu2_1", "relu1_1"], levels.Select(l => l.Layer));
        Assert.Null(levels[0].SearchRadius);                 // the deepest level searches everything
        Assert.Equal([0.6f, 0.1f], levels.Skip(1).Select(l => l.Alpha));
    }

    [SkippableFact]
    public void With_shared_weights_a_photo_takes_a_paintings_appearance()
    {
        Skip.If(TestPaths.SharedVgg is null, "../shared's VGG-19 weights are absent.");
        using var encoder = Vgg19Encoder.Load(TestPaths.SharedVgg!);
        var load = new ImageLoadOptions { Size = Resize.LongestSide(64) };
        using var a = ImageIO.Load(Path.Combine(TestPaths.Shared!, "data", "content", "chicago.jpg"), load);
        using var bPrime = ImageIO.Load(Path.Combine(TestPaths.Shared!, "data", "style", "Starry.jpg"), load);
        var options = DeepAnalogyOptions.For(encoder) with { PatchMatchIterations = 3, DeconvolutionIterations = 5 };
        using var result = DeepImageAnalogy.Run(encoder, a, bPrime, options);

        Assert.Equal(a.shape, result.APrime.shape);
        // A′ is made of B′'s pixels: its colours are the painting's, not the photo's.
        using var aPrimeColour = result.APrime.mean([2, 3]);
        double toPainting = (aPrimeColour - bPrime.mean([2, 3])).norm().item<float>();
        double toPhoto = (aPrimeColour - a.mean([2, 3])).norm().item<float>();
        Assert.True(toPainting < toPhoto, $"A′ mean colour is {toPainting:F3} from B′ and {toPhoto:F3} from A.");
    }

    sealed class SynchronousProgress(List<DeepAnalogyProgress> reports) : IProgress<DeepAnalogyProgress>
    {
        public void Report(DeepAnalogyProgress value) => reports.Add(value);
    }
}
