using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods.AdaIN;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Tests.AdaIN;

/// <summary>
/// StyleLab's AdaIN against the official PyTorch networks (naoto0804/pytorch-AdaIN net.py, test.py),
/// built by tools/fixtures/make_adain_golden.py with deterministic weights saved by torch.save in the
/// official key layout.
/// </summary>
public class GoldenTests
{
    static string Fixture(string name) => TestPaths.Fixture("adain", name);

    static AdaINModel Official() => AdaINModel.Load(Fixture("vgg_normalised.pth"), Fixture("decoder.pth"));

    static void AssertClose(Tensor expected, Tensor actual, string what, double relative = 1e-5)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = expected.abs().max().item<float>();
        double error = (expected - actual).abs().max().item<float>();
        Assert.True(error <= relative * scale, $"{what}: max error {error:g3} exceeds {relative:g1} × max |x| {scale:g4}");
    }

    [Fact]
    public void The_official_vgg_normalised_and_decoder_state_dicts_load_without_renaming()
    {
        var vggKeys = StateDictFile.Load(Fixture("vgg_normalised.pth"));
        var decoderKeys = StateDictFile.Load(Fixture("decoder.pth"));
        try
        {
            // net.vgg: conv0 (1×1) then 16 convolutions at the official indices, 0 … 52.
            Assert.Contains("0.weight", vggKeys.Keys);
            Assert.Contains("51.weight", vggKeys.Keys);
            Assert.Equal(new long[] { 3, 3, 1, 1 }, vggKeys["0.weight"].shape);
            using var model = Official();
            Assert.Equal("relu4_1", model.Layer);
            Assert.Equal("relu5_4", model.Encoder.SupportedLayers.Last(l => l.Kind == VggLayerKind.Relu).Name);
            Assert.Equal("identity", model.Encoder.Preprocessing.Name);
            Assert.Equal(VggPresets.Normalised, model.Encoder.Options);
            // Every tensor of decoder.pth is the decoder's, unrenamed.
            Assert.Equal(decoderKeys.Keys.Order(), model.Decoder.state_dict().Keys.Order());
            foreach (var (key, value) in model.Decoder.state_dict())
                Assert.True(value.equal(decoderKeys[key]).all().item<bool>(), key);
        }
        finally
        {
            foreach (var t in vggKeys.Values.Concat(decoderKeys.Values)) t.Dispose();
        }
    }

    [Fact]
    public void The_normalised_encoder_gives_the_official_relu1_1_to_relu4_1()
    {
        var golden = StateDictFile.Load(Fixture("golden.pth"));
        using var model = Official();
        string[] layers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1"];
        using var features = model.Encoder.Encode(golden["content"], layers);
        foreach (var layer in layers) AssertClose(golden[layer], features[layer], layer);
        using var style = model.Encode(golden["style"]);
        AssertClose(golden["style_relu4_1"], style, "style relu4_1 (20×20 input: ceil-mode pooling)");
        foreach (var t in golden.Values) t.Dispose();
    }

    [Fact]
    public void The_decoder_gives_the_official_output()
    {
        var golden = StateDictFile.Load(Fixture("golden.pth"));
        using var model = Official();
        using var decoded = model.Decode(golden["relu4_1"]);
        AssertClose(golden["decoded"], decoded, "decoder(relu4_1)");
        foreach (var t in golden.Values) t.Dispose();
    }

    [Fact]
    public void Style_transfer_with_alpha_0_6_equals_the_official_style_transfer()
    {
        var golden = StateDictFile.Load(Fixture("golden.pth"));
        using var model = Official();
        using var scope = NewDisposeScope();
        var target = AdaINStyleTransfer.TransformFeatures(model.Encode(golden["content"]), [model.Encode(golden["style"])], new AdaINOptions(Alpha: 0.6));
        AssertClose(golden["transfer_alpha_0_6"], model.Decode(target), "style_transfer(α = 0.6)");
        // The one-call API returns the same, clamped to [0,1] as torchvision's save_image does.
        var image = model.Stylize(golden["content"], [golden["style"]], new AdaINOptions(Alpha: 0.6));
        AssertClose(golden["transfer_alpha_0_6"].clamp(0, 1), image, "Stylize(α = 0.6)", relative: 1e-5);
        foreach (var t in golden.Values) t.Dispose();
    }
}
