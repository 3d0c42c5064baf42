using StyleLab.Decoders;
using StyleLab.Methods.SANet;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.SANet;

/// <summary>
/// SANet, Transform and decoder against PyTorch 1.13 running the official architecture
/// (tools/fixtures/make_sanet_golden.py): full 512-channel modules with formula weights on tiny inputs,
/// and a torch.save'd checkpoint in the official layout.
/// </summary>
public class SANetGoldenTests
{
    static Dictionary<string, Tensor> Golden(string name) => SafeTensors.Load(TestPaths.Fixture("sanet", name));

    /// <summary>The script's formula weights: w[i] = sin(0.7 i + s)/√fan_in, b[i] = 0.1 sin(1.3 i + s).</summary>
    static void FormulaWeights(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var (key, t) in module.state_dict())
        {
            double seed = key.Select((ch, k) => (k + 1) * (int)ch).Sum() % 997 / 97.0;
            var i = arange(t.numel(), dtype: ScalarType.Float64);
            var values = key.EndsWith("weight")
                ? (0.7 * i + seed).sin() / Math.Sqrt(t.numel() / t.shape[0])
                : 0.1 * (1.3 * i + seed).sin();
            t.copy_(values.reshape(t.shape).to(t.dtype));
        }
    }

    static void AssertClose(Tensor expected, Tensor actual, double rtol = 1e-4, double atol = 1e-4)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = (expected - actual.to(expected.dtype)).abs().max().item<float>();
        Assert.True(allclose(actual.to(expected.dtype), expected, rtol, atol), $"max |difference| {diff}");
    }

    [Fact]
    public void SANet_output_and_attention_equal_PyTorch_at_full_width()
    {
        using var scope = NewDisposeScope();
        var golden = Golden("golden.safetensors");
        using var sanet = new SANetModule(512);
        FormulaWeights(sanet);
        var (output, attention) = sanet.Attend(golden["sanet.content"], golden["sanet.style"]);
        AssertClose(golden["sanet.attention"], attention);
        AssertClose(golden["sanet.output"], output);
    }

    [Fact]
    public void Transform_output_equals_PyTorch_at_full_width()
    {
        using var scope = NewDisposeScope();
        var golden = Golden("golden.safetensors");
        using var transform = new SANetTransform();
        FormulaWeights(transform);
        var output = transform.Forward(golden["transform.c4"], golden["transform.s4"], golden["transform.c5"], golden["transform.s5"]);
        AssertClose(golden["transform.output"], output);
    }

    [Fact]
    public void The_relu4_1_decoder_equals_PyTorch()
    {
        using var scope = NewDisposeScope();
        var golden = Golden("golden.safetensors");
        using var decoder = new VggDecoder("relu4_1");
        FormulaWeights(decoder);
        AssertClose(golden["decoder.output"], decoder.forward(golden["decoder.input"]));
    }

    [Fact]
    public void A_PyTorch_saved_transformer_in_the_official_layout_loads_and_runs_as_in_PyTorch()
    {
        using var scope = NewDisposeScope();
        using var transform = SANetTransform.Load(TestPaths.Fixture("sanet", "transformer_iter_test.pth"), layers: SANetLayers.Paper);
        Assert.Equal(8, transform.Channels);
        Assert.Contains("sanet4_1.f.weight", transform.state_dict().Keys);
        Assert.Contains("merge_conv.weight", transform.state_dict().Keys);
        var golden = Golden("checkpoint_golden.safetensors");
        AssertClose(golden["output"], transform.Forward(golden["c4"], golden["s4"], golden["c5"], golden["s5"]), 1e-5, 1e-5);

        using var decoder = VggDecoder.Load(TestPaths.Fixture("sanet", "decoder_iter_test.pth"));
        Assert.Equal("relu1_1", decoder.FromLayer);
    }

    [Fact]
    public void A_transformer_of_unknown_width_or_layout_is_named_in_the_error()
    {
        var e = Assert.Throws<WeightFileException>(() => SANetTransform.Load(TestPaths.Fixture("sanet", "transformer_iter_test.pth")));
        Assert.Contains("transformer_iter_test.pth", e.Message);
        Assert.Contains("8-channel", e.Message);
        var e2 = Assert.Throws<WeightFileException>(() => SANetTransform.Load(TestPaths.Fixture("sanet", "decoder_iter_test.pth")));
        Assert.Contains("sanet4_1.f.weight", e2.Message);
    }
}
