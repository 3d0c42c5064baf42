using StyleLab.Encoders;
using StyleLab.Methods.DeepAnalogy;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.DeepAnalogy;

public class ReconstructionTests
{
    [Fact]
    public void Deconvolution_lowers_the_feature_error()
    {
        using var encoder = Vgg19Encoder.Random(seed: 1);
        using var image = rand(1, 3, 24, 24);
        using var features = encoder.Encode(image, ["relu1_1", "relu2_1"]);
        using var start = zeros_like(features["relu1_1"]);
        using var before = FeatureDeconvolution.Error(encoder, start, "relu1_1", "relu2_1", features["relu2_1"]);
        using var r = FeatureDeconvolution.Reconstruct(encoder, "relu1_1", "relu2_1", features["relu2_1"], start, iterations: 15);
        using var after = FeatureDeconvolution.Error(encoder, r, "relu1_1", "relu2_1", features["relu2_1"]);
        Assert.Equal(start.shape, r.shape);
        Assert.True(after.item<float>() < 0.2f * before.item<float>(), $"error {before.item<float>()} → {after.item<float>()}");
    }

    [Fact]
    public void Blend_weights_lie_in_zero_to_alpha_and_keep_strong_responses()
    {
        using var features = zeros(1, 4, 6, 6);
        features[.., .., 2, 3] = tensor(5f);   // one strong response
        features[.., .., 0, 0] = tensor(0.01f); // one almost silent
        using var w = BlendWeights.Compute(features, alpha: 0.8f);
        Assert.Equal(new long[] { 1, 1, 6, 6 }, w.shape);
        Assert.True(w.ge(0).all().item<bool>() && w.le(0.8f).all().item<bool>());
        Assert.Equal(0.8f, w[0, 0, 2, 3].item<float>(), 3);
        Assert.True(w[0, 0, 0, 0].item<float>() < 0.01f);

        using var reconstruction = ones_like(features);
        using var blended = BlendWeights.Blend(features, reconstruction, w);
        Assert.Equal(0.8f * 5 + 0.2f, blended[0, 0, 2, 3].item<float>(), 3);
    }

    [Fact]
    public void Identity_fields_are_consistent_and_their_colour_map_is_the_key()
    {
        using var identity = Nnf.Identity(10, 12, 10, 12);
        using var map = BidirectionalConsistency.Map(identity, identity);
        Assert.Equal(0f, map.max().item<float>());
        using var colours = NnfColorMap.Coordinates(identity);
        using var key = NnfColorMap.Key(10, 12);
        Assert.True(colours.allclose(key));
        using var flow = NnfColorMap.Displacement(identity);
        Assert.True(flow.allclose(ones_like(flow)));   // no displacement: white
    }

    [Fact]
    public void A_one_sided_match_shows_its_round_trip_error()
    {
        // a → b shifts one column right; b → a is the identity, so the round trip lands one column off.
        using var shift = new Nnf((Nnf.Identity(8, 8, 8, 8).Coordinates + tensor(new long[] { 0, 1 })).clamp(0, 7), 8, 8);
        using var identity = Nnf.Identity(8, 8, 8, 8);
        using var map = BidirectionalConsistency.Map(shift, identity);
        Assert.Equal(1f, map[0, 0, 3, 3].item<float>());
        Assert.Equal(0f, map[0, 0, 3, 7].item<float>());   // clamped at the border: maps to itself
    }
}
