using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods.AdaIN;
using StyleLab.Methods.WCT;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Weights.Torch7;

/// <summary>
/// Lua Torch module trees (written by <see cref="Torch7Writer"/> as the official projects' files are built) load
/// into StyleLab's models and compute what the same models built from the weights directly compute.
/// </summary>
public sealed class Torch7ModuleTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-t7-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static Tensor Image(long seed, int size = 40)
    {
        var generator = new torch.Generator((ulong)seed);
        return torch.rand([1, 3, size, size], generator: generator);
    }

    static VggDecoder RandomDecoder(string layer, long seed)
    {
        torch.random.manual_seed(seed);
        var decoder = new VggDecoder(layer);
        decoder.eval();
        return decoder;
    }

    [Fact]
    public void AdaIN_Lua_models_load_into_AdaINModel_and_stylise_as_the_same_weights_do()
    {
        using var encoder = Vgg19Encoder.Random(1, Preprocessing.Identity, VggPresets.Normalised, leadingConv: true, depth: "relu4_1");
        using var decoder = RandomDecoder("relu4_1", 2);
        var vgg = NnTree.Save(NnTree.NormalisedVgg(encoder), Path.Combine(_folder, "vgg_normalised.t7"));
        var dec = NnTree.Save(NnTree.Decoder(decoder), Path.Combine(_folder, "decoder.t7"));

        using var fromT7 = AdaINModel.Load(vgg, dec);
        using var direct = new AdaINModel(encoder, decoder);
        Assert.Equal("relu4_1", fromT7.Layer);
        using var content = Image(3);
        using var style = Image(4);
        using var expected = direct.Stylize(content, style);
        using var actual = fromT7.Stylize(content, style);
        Assert.Equal(0, (expected - actual).abs().max().item<float>());
    }

    [Fact]
    public void WCT_Lua_encoder_and_decoders_load_and_decode_as_the_same_weights_do()
    {
        using var encoder = Vgg19Encoder.Random(5, Preprocessing.Identity, VggPresets.Normalised, leadingConv: true, depth: "relu3_1");
        NnTree.Save(NnTree.NormalisedVgg(encoder), Path.Combine(_folder, "vgg_normalised_conv3_1.t7"));
        var decoders = new[] { "relu1_1", "relu2_1", "relu3_1" }.Select((l, i) => RandomDecoder(l, 10 + i)).ToList();
        foreach (var (d, k) in decoders.Select((d, i) => (d, i + 1)))
            NnTree.Save(NnTree.Decoder(d), Path.Combine(_folder, $"feature_invertor_conv{k}_1.t7"));

        using var loadedEncoder = NormalisedVgg.Load(Path.Combine(_folder, "vgg_normalised_conv3_1.t7"));
        Assert.Equal("relu3_1", loadedEncoder.DeepestLayer.Name);
        var loaded = WctDecoderFiles.LoadAll(_folder).OrderBy(d => d.FromLayer, StringComparer.Ordinal).ToList();
        Assert.Equal(["relu1_1", "relu2_1", "relu3_1"], loaded.Select(d => d.FromLayer));

        using var image = Image(6);
        using var expected = encoder.Encode(image, ["relu3_1"]);
        using var actual = loadedEncoder.Encode(image, ["relu3_1"]);
        Assert.Equal(0, (expected["relu3_1"] - actual["relu3_1"]).abs().max().item<float>());
        for (int i = 0; i < 3; i++)
        {
            using var features = encoder.Encode(image, [decoders[i].FromLayer]);
            using var a = decoders[i].forward(features[decoders[i].FromLayer]);
            using var b = loaded[i].forward(features[decoders[i].FromLayer]);
            Assert.Equal(0, (a - b).abs().max().item<float>());
        }
        using var transfer = new UniversalStyleTransfer(loadedEncoder, loaded);
        foreach (var d in decoders) d.Dispose();
    }

    [Fact]
    public void Keys_follow_PyTorch_sequential_positions_through_nested_containers()
    {
        using var w = torch.randn(8, 4, 3, 3);
        using var b = torch.randn(8);
        using var w2 = torch.randn(8, 8, 3, 3);
        // A residual block as fast-neural-style builds it: ConcatTable(Sequential(conv…), Identity) → CAddTable.
        var residual = NnTree.Sequential([NnTree.ConcatTable(NnTree.Sequential([NnTree.ReflectionPadding(1), NnTree.Convolution(w2, b)]), NnTree.Identity()), NnTree.CAddTable()]);
        var tree = NnTree.Sequential([NnTree.Convolution(w, b, pad: 1, mm: true), NnTree.ReLU(), residual]);
        var path = NnTree.Save(tree, Path.Combine(_folder, "nested.t7"));

        var state = StateDictFile.Load(path);
        Assert.Equal(["0.bias", "0.weight", "2.0.0.1.bias", "2.0.0.1.weight"], state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([8L, 4, 3, 3], state["0.weight"].shape); // SpatialConvolutionMM's [out, in·k·k] back to 4-D
        Assert.True(state["0.weight"].allclose(w, 0, 0));
        Assert.True(state["2.0.0.1.weight"].allclose(w2, 0, 0));
        foreach (var t in state.Values) t.Dispose();
    }

    [Fact]
    public void Old_batch_norm_running_std_becomes_running_var()
    {
        using var mean = torch.tensor(new float[] { 0.5f, -1f });
        using var variance = torch.tensor(new float[] { 4f, 0.25f });
        double eps = 1e-5;
        using var std = (variance + eps).rsqrt();
        var bn = NnTree.Module("nn.SpatialBatchNormalization", [("running_mean", (object?)mean), ("running_std", std), ("eps", eps),
            ("weight", torch.ones(2)), ("bias", torch.zeros(2))]);
        var path = NnTree.Save(NnTree.Sequential([bn]), Path.Combine(_folder, "bn.t7"));
        var state = StateDictFile.Load(path);
        Assert.True(state["0.running_var"].allclose(variance, rtol: 1e-5, atol: 1e-6));
        Assert.True(state["0.running_mean"].allclose(mean, 0, 0));
        foreach (var t in state.Values) t.Dispose();
    }

    [Fact]
    public void An_unsupported_module_is_named_with_its_position()
    {
        var tree = NnTree.Sequential([NnTree.ReLU(), NnTree.Module("nn.LSTM", [("weight", (object?)torch.ones(2))])]);
        var path = NnTree.Save(tree, Path.Combine(_folder, "lstm.t7"));
        var e = Assert.Throws<WeightFileException>(() => StateDictFile.Load(path));
        Assert.Contains("nn.LSTM", e.Message);
        Assert.Contains("position 1", e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void A_t7_file_is_recognised_by_its_content_whatever_its_name()
    {
        var path = NnTree.Save(NnTree.Sequential([NnTree.ReLU()]), Path.Combine(_folder, "model.bin"));
        Assert.Equal(WeightFormat.T7, StateDictFile.Detect(path));
    }
}
