using StyleLab.Losses;
using CsCheck;
using StyleLab.Decoders;
using StyleLab.Methods;
using StyleLab.Methods.AdaIN;
using static TorchSharp.torch;

namespace StyleLab.Tests.AdaIN;

public class CoreTests
{
    [Fact]
    public void AdaIN_output_has_the_styles_channel_means_and_stds()
    {
        Gen.Select(Gen.Int[1, 3], Gen.Int[2, 9], Gen.Int[2, 12], Gen.Int[2, 12], Gen.Long).Sample((n, c, h, w, seed) =>
        {
            using var scope = NewDisposeScope();
            var generator = new TorchSharp.torch.Generator((ulong)seed);
            var content = randn([n, c, h, w], generator: generator) * 3 + 1;
            var style = randn([n, c, h + 3, w + 1], generator: generator) * (rand([1, c, 1, 1], generator: generator) * 5 + 0.5) - 2;
            var output = AdaptiveInstanceNorm.Apply(content, style);
            var (mean, std) = ChannelStatistics.MeanStd(output);
            var (styleMean, styleStd) = ChannelStatistics.MeanStd(style);
            Assert.True(allclose(mean, styleMean, rtol: 1e-4, atol: 1e-4), "means differ");
            // The official ε (1e-5 on the variance) shifts σ by ε/2σ² relatively: within 1e-4 for these scales…
            Assert.True(allclose(std, styleStd, rtol: 1e-4, atol: 1e-4), "stds differ");
            // …and without it the statistics are the style's exactly (to float rounding).
            var (_, exactStd) = ChannelStatistics.MeanStd(AdaptiveInstanceNorm.Apply(content, style, epsilon: 0), 0);
            var (_, styleExactStd) = ChannelStatistics.MeanStd(style, 0);
            Assert.True(allclose(exactStd, styleExactStd, rtol: 1e-5, atol: 1e-6), "stds differ without ε");
        }, iter: 40);
    }

    [Theory]
    [InlineData("relu1_1", 1, 1)]
    [InlineData("relu3_1", 5, 4)]
    [InlineData("relu4_1", 9, 8)]
    [InlineData("relu5_1", 13, 16)]
    public void A_decoder_mirrors_the_encoder_and_upsamples_back_to_image_size(string layer, int convs, int scale)
    {
        using var decoder = new VggDecoder(layer);
        var encoderLayer = StyleLab.Encoders.VggLayers.Get(layer);
        Assert.Equal(convs, decoder.MirroredConvolutions.Count);
        using var features = randn(1, encoderLayer.OutChannels, 3, 5);
        using var image = decoder.forward(features);
        Assert.Equal(new long[] { 1, 3, 3 * scale, 5 * scale }, image.shape);
    }

    [Fact]
    public void The_relu4_1_decoder_has_the_official_decoder_pth_keys()
    {
        using var decoder = new VggDecoder("relu4_1");
        int[] convIndices = [1, 5, 8, 11, 14, 18, 21, 25, 28]; // naoto0804/pytorch-AdaIN net.decoder
        Assert.Equal(convIndices.SelectMany(i => new[] { $"{i}.weight", $"{i}.bias" }), decoder.state_dict().Keys);
        Assert.Equal(new long[] { 256, 512, 3, 3 }, decoder.state_dict()["1.weight"].shape);
        Assert.Equal(new long[] { 3, 64, 3, 3 }, decoder.state_dict()["28.weight"].shape);
    }

    [Fact]
    public void A_decoder_round_trips_through_its_state_dict_and_a_wrong_file_is_named()
    {
        using var decoder = new VggDecoder("relu3_1");
        using var copy = VggDecoder.FromStateDict(decoder.state_dict());
        Assert.Equal("relu3_1", copy.FromLayer);
        using var x = randn(1, 256, 4, 4);
        using var a = decoder.forward(x);
        using var b = copy.forward(x);
        Assert.True(a.equal(b).all().item<bool>());

        var wrong = decoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        wrong["1.weight"] = zeros(128, 255, 3, 3);
        var e = Assert.Throws<StyleLab.Weights.WeightFileException>(() => VggDecoder.FromStateDict(wrong, "bad.pth"));
        Assert.Contains("bad.pth", e.Message);
        Assert.Contains("1.weight", e.Message);
    }
}

public class MeanStdStyleLossTests
{
    [Fact]
    public void The_loss_is_the_mse_of_means_plus_the_mse_of_stds_and_zero_for_equal_statistics()
    {
        // Two channels with known statistics: [1,1,3,3] → μ = 1, σ² = 0 (+ε); [0,2,0,2] → μ = 1, σ² = 4/3.
        using var a = tensor(new float[] { 1, 1, 1, 1, 0, 2, 0, 2 }).reshape(1, 2, 2, 2);
        using var b = tensor(new float[] { 3, 3, 3, 3, 1, 1, 1, 1 }).reshape(1, 2, 2, 2);
        double eps = StyleLab.Losses.ChannelStatistics.Epsilon;
        double meanTerm = (Math.Pow(1 - 3, 2) + 0) / 2;
        double stdTerm = (0 + Math.Pow(Math.Sqrt(4.0 / 3 + eps) - Math.Sqrt(eps), 2)) / 2;
        using var loss = StyleLab.Losses.MeanStdStyleLoss.Compute(a, b);
        Assert.Equal(meanTerm + stdTerm, loss.item<float>(), 4);
        using var shifted = a * 1; // same statistics, different image
        using var zero = StyleLab.Losses.MeanStdStyleLoss.Compute(a, shifted.flip(3));
        Assert.Equal(0, zero.item<float>(), 6);
    }
}
