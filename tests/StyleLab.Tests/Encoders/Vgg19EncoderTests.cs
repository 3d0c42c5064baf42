using StyleLab.Encoders;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Encoders;

public class Vgg19EncoderTests
{
    static Dictionary<string, Tensor> TruncatedTorchvisionWeights(string lastConv)
    {
        var dict = new Dictionary<string, Tensor>();
        foreach (var conv in VggLayers.Convolutions)
        {
            dict[$"features.{conv.Index}.weight"] = torch.randn(conv.OutChannels, conv.InChannels, 3, 3) * 0.05;
            dict[$"features.{conv.Index}.bias"] = torch.randn(conv.OutChannels) * 0.01;
            if (conv.Name == lastConv) break;
        }
        return dict;
    }

    [Fact]
    public void Layer_table_has_vgg19s_37_layers_in_torchvision_order()
    {
        Assert.Equal(37, VggLayers.All.Count);
        Assert.Equal(16, VggLayers.Convolutions.Count());
        Assert.Equal(21, VggLayers.Get("conv4_2").Index);
        Assert.Equal(28, VggLayers.Get("conv5_1").Index);
        Assert.Equal(36, VggLayers.Get("pool5").Index);
    }

    [Fact]
    public void Layer_shapes_match_torchvisions_vgg19()
    {
        using var encoder = Vgg19Encoder.Random();
        using var image = torch.rand(1, 3, 224, 224);
        using var outputs = encoder.Encode(image, VggLayers.All.Select(l => l.Name));
        // Written by tools/fixtures/make_vgg_golden.py from torchvision's vgg19().features.
        var fixture = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("vgg19_torchvision_shapes.json")))!;
        var expected = fixture["layers"]!.AsObject().ToDictionary(
            kv => kv.Key, kv => kv.Value!.AsArray().Select(d => d!.GetValue<long>()).ToArray());
        Assert.Equal(37, expected.Count);
        foreach (var (name, shape) in expected) Assert.Equal(shape, outputs[name].shape);
    }

    [Fact]
    public void Truncated_weights_report_their_depth_and_refuse_deeper_layers_by_name()
    {
        using var encoder = Vgg19Encoder.FromStateDict(TruncatedTorchvisionWeights("conv3_4"), Preprocessing.Caffe, source: "partial.safetensors");
        Assert.Equal("pool3", encoder.DeepestLayer.Name);
        using var image = torch.rand(1, 3, 32, 32);
        using var ok = encoder.Encode(image, ["relu3_4", "pool3"]);
        Assert.Equal(new long[] { 1, 256, 4, 4 }, ok["pool3"].shape);

        var e = Assert.Throws<ArgumentException>(() => encoder.Encode(image, ["relu3_1", "relu4_1"]));
        Assert.Contains("relu4_1", e.Message);
        Assert.Contains("partial.safetensors", e.Message);
        Assert.Contains("pool3", e.Message);
    }

    [Fact]
    public void A_wrong_shape_names_the_tensor_and_both_shapes()
    {
        var dict = TruncatedTorchvisionWeights("conv1_2");
        dict["features.2.weight"] = torch.zeros(64, 32, 3, 3);
        var e = Assert.Throws<WeightFileException>(() => Vgg19Encoder.FromStateDict(dict, Preprocessing.Caffe, source: "bad.pth"));
        Assert.Contains("features.2.weight", e.Message);
        Assert.Contains("[64,32,3,3]", e.Message);
        Assert.Contains("[64,64,3,3]", e.Message);
    }

    [Fact]
    public void One_pass_returns_every_requested_layer_equal_to_separate_passes()
    {
        using var encoder = Vgg19Encoder.Random(seed: 3);
        using var image = torch.rand(1, 3, 48, 48);
        using var all = encoder.Encode(image, ["relu1_1", "conv2_1", "relu3_1"]);
        using var single = encoder.Encode(image, ["conv2_1"]);
        Assert.Equal(3, all.Count);
        Assert.True(all["conv2_1"].allclose(single["conv2_1"]));
        // A conv output keeps its negative values: the ReLU after it must not have run in place.
        Assert.True(all["conv2_1"].min().item<float>() < 0);
    }

    [Fact]
    public void AdaIN_normalised_layout_numbers_pads_convs_relus_and_pools()
    {
        var names = VggWeightNames.Prefixes(VggWeightLayout.AdaINNormalised);
        Assert.Equal("0", names["conv0"]);
        Assert.Equal("2", names["conv1_1"]);
        Assert.Equal("5", names["conv1_2"]);
        Assert.Equal("9", names["conv2_1"]);
        Assert.Equal("16", names["conv3_1"]);
        Assert.Equal("29", names["conv4_1"]);
        Assert.Equal("42", names["conv5_1"]);
    }

    [Fact]
    public void Reflection_padding_and_average_pooling_are_honoured()
    {
        using var encoder = Vgg19Encoder.Random(options: new VggOptions(VggPooling.Average, VggPadding.Reflection, CeilMode: true));
        using var image = torch.rand(1, 3, 33, 33);
        using var outputs = encoder.Encode(image, ["pool1"]);
        Assert.Equal(new long[] { 1, 64, 17, 17 }, outputs["pool1"].shape); // ceil(33/2)
    }

    [Fact]
    public void Preprocessing_inverts_exactly()
    {
        using var image = torch.rand(2, 3, 5, 5);
        foreach (var p in new[] { Preprocessing.Caffe, Preprocessing.Torchvision, Preprocessing.Identity })
        {
            using var back = p.Invert(p.Apply(image));
            Assert.True(back.allclose(image, atol: 1e-5), p.Name);
        }
        // Caffe: BGR order, 0..255, mean subtracted.
        using var red = torch.zeros(1, 3, 1, 1); red[0, 0] = torch.tensor(1f);
        var caffe = Preprocessing.Caffe.Apply(red).flatten().data<float>().ToArray();
        Assert.Equal(new[] { -103.939f, -116.779f, 255f - 123.68f }, caffe, (a, b) => Math.Abs(a - b) < 1e-3);
    }

    [SkippableFact]
    public void Golden_activations_of_the_shared_weights_equal_pytorchs()
    {
        Skip.If(TestPaths.SharedVgg is null, "../shared weights are absent");
        var fixture = TestPaths.Fixture("vgg19_caffe_golden.safetensors"); // tools/fixtures/make_vgg_golden.py
        using var encoder = Vgg19Encoder.Load(TestPaths.SharedVgg!);
        Assert.Equal(Preprocessing.Caffe, encoder.Preprocessing);
        var golden = SafeTensors.Load(fixture);
        var layers = golden.Keys.Where(k => k != "input").ToList();
        using var outputs = encoder.Encode(golden["input"], layers);
        foreach (var layer in layers)
        {
            double err = (outputs[layer] - golden[layer]).abs().max().item<float>();
            double scale = golden[layer].abs().max().item<float>();
            Assert.True(err <= 1e-4 * Math.Max(1, scale), $"{layer}: max |Δ| = {err} (max |x| = {scale})");
        }
    }
}
