using CsCheck;
using StyleLab.Methods.DeepAnalogy;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.DeepAnalogy;

public class PatchVotingTests
{
    [Fact]
    public void Voting_with_the_identity_field_returns_the_image()
    {
        Gen.Select(Gen.Int[1, 20], Gen.Int[1, 20], Gen.Int[0, 3].Select(i => 2 * i + 1), Gen.Long).Sample((h, w, k, seed) =>
        {
            using var scope = NewDisposeScope();
            var image = SyntheticFeatures.Random(3, h, w, seed).sigmoid();
            var identity = Nnf.Identity(h, w, h, w);
            return PatchVoting.Vote(identity, image, k).allclose(image, atol: 1e-6);
        }, iter: 60);
    }

    [Fact]
    public void Voting_with_a_shift_returns_the_shifted_image()
    {
        using var image = SyntheticFeatures.Random(3, 20, 20, seed: 9);
        using var shift = new Nnf(Nnf.Identity(14, 14, 14, 14).Coordinates + tensor(new long[] { 4, 2 }), 20, 20);
        using var voted = PatchVoting.Vote(shift, image, 5);
        Assert.True(voted.allclose(image[.., .., 4..18, 2..16], atol: 1e-5));
        using var warped = shift.Warp(image);
        Assert.True(warped.allclose(image[.., .., 4..18, 2..16]));
    }
}
