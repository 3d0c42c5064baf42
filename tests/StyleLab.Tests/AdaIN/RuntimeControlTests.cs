using StyleLab.Losses;
using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods;
using StyleLab.Methods.AdaIN;
using static TorchSharp.torch;

namespace StyleLab.Tests.AdaIN;

/// <summary>The paper's run-time controls (§7.3) as properties of <see cref="AdaINStyleTransfer"/>.</summary>
public class RuntimeControlTests
{
    static Tensor Features(long seed, long h, long w, double scale, double shift)
    {
        var generator = new Generator((ulong)seed);
        return (randn([1, 8, h, w], generator: generator) * scale + shift).relu();
    }

    [Fact]
    public void Alpha_zero_hands_the_decoder_the_content_features_bit_exactly()
    {
        using var scope = NewDisposeScope();
        var content = Features(1, 6, 7, 2, 0.5);
        var style = Features(2, 9, 5, 5, 1);
        var target = AdaINStyleTransfer.TransformFeatures(content, [style], new AdaINOptions(Alpha: 0));
        Assert.True(target.equal(content).all().item<bool>());
        // …and α = 1 is plain AdaIN; α in between lies on the line between them.
        var full = AdaINStyleTransfer.TransformFeatures(content, [style], new AdaINOptions(Alpha: 1));
        Assert.True(full.equal(AdaptiveInstanceNorm.Apply(content, style)).all().item<bool>());
        var half = AdaINStyleTransfer.TransformFeatures(content, [style], new AdaINOptions(Alpha: 0.25));
        Assert.True(allclose(half, full * 0.25 + content * 0.75, rtol: 1e-6, atol: 1e-6));
    }

    [Fact]
    public void Alpha_zero_through_a_whole_model_decodes_the_content_features()
    {
        using var scope = NewDisposeScope();
        using var model = new AdaINModel(Vgg19Encoder.Random(3, Preprocessing.Identity, VggPresets.Normalised), new VggDecoder("relu2_1"));
        var content = rand(1, 3, 16, 12);
        var style = rand(1, 3, 20, 20);
        using var output = model.Stylize(content, style, new AdaINOptions(Alpha: 0));
        using var reconstruction = model.Decode(model.Encode(content)).clamp(0, 1);
        Assert.True(output.equal(reconstruction).all().item<bool>());
    }

    [Fact]
    public void Interpolation_with_one_nonzero_weight_equals_single_style_transfer()
    {
        using var scope = NewDisposeScope();
        var content = Features(3, 6, 6, 1, 0);
        var styles = new[] { Features(4, 5, 5, 3, 2), Features(5, 7, 4, 0.5, -1), Features(6, 4, 4, 2, 0) };
        var single = AdaINStyleTransfer.TransformFeatures(content, [styles[1]], new AdaINOptions(Alpha: 0.8));
        var mixed = AdaINStyleTransfer.TransformFeatures(content, styles, new AdaINOptions(Alpha: 0.8, StyleWeights: [0, 3, 0]));
        Assert.True(mixed.equal(single).all().item<bool>());
    }

    [Fact]
    public void Interpolation_mixes_the_adain_outputs_with_normalised_weights()
    {
        using var scope = NewDisposeScope();
        var content = Features(7, 6, 6, 1, 0);
        var a = Features(8, 5, 5, 3, 2);
        var b = Features(9, 5, 5, 1, 0);
        var mixed = AdaINStyleTransfer.TransformFeatures(content, [a, b], new AdaINOptions(StyleWeights: [1, 3]));
        var expected = AdaptiveInstanceNorm.Apply(content, a) * 0.25 + AdaptiveInstanceNorm.Apply(content, b) * 0.75;
        Assert.True(allclose(mixed, expected, rtol: 1e-5, atol: 1e-5));
        Assert.Throws<ArgumentException>(() => AdaINStyleTransfer.TransformFeatures(content, [a, b], new AdaINOptions(StyleWeights: [1])));
        Assert.Throws<ArgumentException>(() => AdaINStyleTransfer.TransformFeatures(content, [a, b], new AdaINOptions(StyleWeights: [0, 0])));
    }

    [Fact]
    public void With_a_mask_each_region_carries_its_own_styles_statistics()
    {
        using var scope = NewDisposeScope();
        var content = Features(10, 8, 10, 2, 0.3) + 0.1;
        var first = Features(11, 6, 6, 4, 3);
        var second = Features(12, 6, 6, 0.5, -0.2) + 0.05;
        // A 32×40 image mask, white on the left 12 columns: 3 of the 10 feature columns (nearest).
        var mask = zeros(32, 40);
        mask[.., ..12] = 1;
        var target = AdaINStyleTransfer.TransformFeatures(content, [first, second], mask: mask);
        var left = target[.., .., .., ..3].contiguous();
        var right = target[.., .., .., 3..].contiguous();
        foreach (var (region, style) in new[] { (left, first), (right, second) })
        {
            var (mean, std) = ChannelStatistics.MeanStd(region);
            var (styleMean, styleStd) = ChannelStatistics.MeanStd(style);
            Assert.True(allclose(mean, styleMean, rtol: 1e-4, atol: 1e-4), "region means differ from its style's");
            Assert.True(allclose(std, styleStd, rtol: 1e-4, atol: 1e-3), "region stds differ from its style's");
        }
        // Each region is AdaIN of that region alone (the original test.lua), not a crop of whole-image AdaIN.
        var leftAlone = AdaptiveInstanceNorm.Apply(content[.., .., .., ..3].contiguous(), first);
        Assert.True(allclose(left, leftAlone, rtol: 1e-5, atol: 1e-5));
        Assert.Throws<ArgumentException>(() => AdaINStyleTransfer.TransformFeatures(content, [first], mask: mask));
    }

    [Fact]
    public void Alpha_outside_zero_to_one_is_refused()
    {
        using var scope = NewDisposeScope();
        var f = Features(13, 4, 4, 1, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => AdaINStyleTransfer.TransformFeatures(f, [f], new AdaINOptions(Alpha: 1.5)));
    }

    [Fact]
    public void The_adain_layer_is_relu4_1_when_the_weights_reach_it_and_relu3_1_when_they_stop_in_block_3()
    {
        using var full = Vgg19Encoder.Random(0);
        Assert.Equal("relu4_1", NormalisedVgg.TopLayer(full));
        var partial = full.state_dict().Where(kv => kv.Key.CompareTo("conv4") < 0).ToDictionary(kv => kv.Key, kv => kv.Value);
        using var shallow = Vgg19Encoder.FromStateDict(partial, Preprocessing.Caffe, VggPresets.Normalised);
        Assert.Equal("pool3", shallow.DeepestLayer.Name);
        Assert.Equal("relu3_1", NormalisedVgg.TopLayer(shallow));
        Assert.Equal(["relu1_1", "relu2_1", "relu3_1"], NormalisedVgg.LayersUpTo("relu3_1"));
    }
}
