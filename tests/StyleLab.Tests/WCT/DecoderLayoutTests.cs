using System.Text.Json;
using StyleLab.Decoders;
using static TorchSharp.torch;

namespace StyleLab.Tests.WCT;

/// <summary>
/// The WCT decoders against PyTorch (fixtures from tools/fixtures/make_wct_golden.py): the same outputs for
/// deterministic weights, and the converted official key layouts loading with no renaming.
/// </summary>
public class DecoderLayoutTests
{
    static readonly Dictionary<string, VggDecoderLayout> Layouts = new()
    {
        ["sequential"] = VggDecoderLayout.Sequential,
        ["blocks"] = VggDecoderLayout.WctBlocks,
        ["nips"] = VggDecoderLayout.WctNips,
    };

    /// <summary>The fixture's weights: w[i] = sin(0.618 i + 1.3 j) / √(9 c_in), b[i] = 0.01 cos(i + j) for the j-th convolution.</summary>
    static Dictionary<string, Tensor> FormulaStateDict(IEnumerable<(string Key, long[] Shape)> keys)
    {
        var state = new Dictionary<string, Tensor>();
        int j = -1;
        foreach (var (key, shape) in keys)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            var i = arange(count, dtype: ScalarType.Float64);
            if (key.EndsWith(".weight"))
            {
                j++;
                state[key] = (sin(0.618 * i + 1.3 * j) / Math.Sqrt(9 * shape[1])).to(ScalarType.Float32).view(shape);
            }
            else state[key] = (0.01 * cos(i + j)).to(ScalarType.Float32).view(shape);
        }
        return state;
    }

    static List<(string Key, long[] Shape)> PyTorchKeys(string layout, int level)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture("wct", "decoder_keys.json")));
        return json.RootElement.GetProperty($"{layout}.{level}").EnumerateArray()
            .Select(e => (e[0].GetString()!, e[1].EnumerateArray().Select(d => d.GetInt64()).ToArray())).ToList();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Decoders_give_PyTorchs_outputs_in_every_converted_layout(int level)
    {
        using var golden = new GoldenFile(TestPaths.Fixture("wct", "decoders.pth"));
        var input = golden[$"relu{level}_1.input"];
        var expected = golden[$"relu{level}_1.output"];
        foreach (var (name, layout) in Layouts)
        {
            using var scope = NewDisposeScope();
            var keys = PyTorchKeys(name, level);
            var state = FormulaStateDict(keys);
            Assert.Equal(layout, VggDecoderWeightNames.Detect(state.Keys));
            using var decoder = VggDecoder.FromStateDict(state, $"{name} decoder {level}");
            Assert.Equal($"relu{level}_1", decoder.FromLayer);
            using var _ = no_grad();
            var output = decoder.forward(input);
            Assert.Equal(expected.shape, output.shape);
            double error = (output - expected).abs().max().item<float>();
            Assert.True(error < 1e-4, $"{name} relu{level}_1: max |Δ| = {error}");
        }
    }

    [Fact]
    public void The_default_layout_is_unchanged_and_still_AdaINs()
    {
        using var decoder = new VggDecoder("relu3_1");
        Assert.Equal(PyTorchKeys("sequential", 3).Select(k => k.Key), decoder.state_dict().Keys);
        var prefixes = VggDecoderWeightNames.Prefixes(decoder.MirroredConvolutions, VggDecoderLayout.Sequential);
        Assert.All(prefixes, kv => Assert.Equal(kv.Key, kv.Value));
    }

    [Theory]
    [InlineData("sequential")]
    [InlineData("blocks")]
    [InlineData("nips")]
    public void A_checkpoint_saved_by_PyTorch_in_a_converted_layout_loads_with_no_renaming(string layout)
    {
        string path = TestPaths.Fixture("wct", $"decoder1.{layout}.pth");
        using var decoder = VggDecoder.Load(path);
        Assert.Equal("relu1_1", decoder.FromLayer);
        using var golden = new GoldenFile(TestPaths.Fixture("wct", "decoders.pth"));
        using var _ = no_grad();
        using var output = decoder.forward(golden["relu1_1.input"]);
        Assert.True((output - golden["relu1_1.output"]).abs().max().item<float>() < 1e-5);
        // And with the layout named explicitly.
        using var named = VggDecoder.Load(path, layout: Layouts[layout]);
        Assert.Equal("relu1_1", named.FromLayer);
    }

    [Fact]
    public void A_file_in_another_layout_than_named_says_what_is_missing()
    {
        var e = Assert.Throws<StyleLab.Weights.WeightFileException>(() =>
            VggDecoder.Load(TestPaths.Fixture("wct", "decoder1.nips.pth"), layout: VggDecoderLayout.WctBlocks));
        Assert.Contains("decoder1.nips.pth", e.Message);
        Assert.Contains("seq.conv1_1.weight", e.Message);
    }
}
