using CsCheck;
using StyleLab.Methods.DeepAnalogy;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.DeepAnalogy;

public class PatchDistanceTests
{
    [Fact]
    public void The_CPU_kernel_and_the_tensor_formulation_agree()
    {
        Gen.Select(Gen.Int[1, 12], Gen.Int[3, 14], Gen.Int[3, 14], Gen.Int[3, 14], Gen.Int[3, 14], Gen.Int[0, 2].Select(i => 2 * i + 1), Gen.Long)
            .Sample((channels, h, w, hb, wb, k, seed) =>
            {
                using var scope = NewDisposeScope();
                var a = SyntheticFeatures.Random(channels, h, w, seed);
                var ap = SyntheticFeatures.Random(channels, h, w, seed + 1);
                var b = SyntheticFeatures.Random(channels, hb, wb, seed + 2);
                var bp = SyntheticFeatures.Random(channels, hb, wb, seed + 3);
                using var distance = new PatchDistance(a, ap, b, bp, k);
                using var generator = new Generator((ulong)seed);
                using var field = Nnf.Random(h, w, hb, wb, generator);
                return distance.Evaluate(field.Coordinates).allclose(distance.EvaluateWithTensors(field.Coordinates), rtol: 1e-4, atol: 1e-5);
            }, iter: 60);
    }

    [Fact]
    public void Identical_patches_are_at_distance_zero_and_the_distance_is_at_most_four()
    {
        using var a = SyntheticFeatures.Random(5, 9, 9, seed: 1);
        using var other = SyntheticFeatures.Random(5, 9, 9, seed: 2);
        using var same = new PatchDistance(a, a, a, a, 3);
        using var identity = Nnf.Identity(9, 9, 9, 9);
        Assert.True(same.Evaluate(identity.Coordinates).abs().max().item<float>() < 1e-5f);
        using var different = new PatchDistance(a, a, other, other, 3);
        using var d = different.Evaluate(identity.Coordinates);
        Assert.True(d.gt(0).all().item<bool>() && d.le(4).all().item<bool>());
    }
}
