using StyleLab.Methods.Arbitrary;
using StyleLab.Weights;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace StyleLab.Tests.Arbitrary;

/// <summary>Magenta's float16 style transformer, block by block, against a NumPy interpreter of the TFLite graph.</summary>
public class StyleTransformerNetworkTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Every_block_matches_the_NumPy_interpreter_of_the_graph()
    {
        Skip.If(MagentaGolden.TransformerPath is null, "../shared magenta-arbitrary weights are absent");
        using var net = StyleTransformerNetwork.FromTflite(TfliteModel.Load(MagentaGolden.TransformerPath!));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var golden = MagentaGolden.Json["transformer"]!;
        var content = MagentaGolden.TestCard(32, 40, golden["card"]!.GetValue<int>());
        var style = MagentaGolden.Array(MagentaGolden.Json["predictor"]![golden["bottleneckOfCard"]!.GetValue<int>()]!["bottleneck"]!).flatten(1);

        var trace = new Dictionary<string, Tensor>();
        var stylised = net.Run(content, style, trace);
        foreach (var t in trace.Values) t.MoveToOuterDisposeScope();

        var blocks = golden["blocks"]!.AsObject().ToDictionary(kv => kv.Key, kv => MagentaGolden.Array(kv.Value!));
        blocks["output"] = MagentaGolden.Array(golden["output"]!);
        trace["output"] = stylised;
        foreach (var (name, expected) in blocks)
        {
            var actual = trace[name];
            Assert.Equal(expected.shape, actual.shape);
            double error = (actual - expected).abs().max().item<float>();
            double scale = expected.abs().max().item<float>();
            output.WriteLine($"{name}: max |Δ| = {error:G3} (values up to {scale:G3})");
            Assert.True(error < 1e-4 * Math.Max(1, scale), $"{name}: max abs error {error}");
        }
    }

    [SkippableFact]
    public void At_the_converted_size_the_output_matches_the_graph_run_as_written()
    {
        Skip.If(MagentaGolden.TransformerPath is null, "../shared magenta-arbitrary weights are absent");
        using var net = StyleTransformerNetwork.FromTflite(TfliteModel.Load(MagentaGolden.TransformerPath!));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var golden = MagentaGolden.Json["native"]!;
        int stride = golden["stride"]!.GetValue<int>();
        var content = MagentaGolden.TestCard(384, 384, golden["card"]!.GetValue<int>());
        var style = MagentaGolden.Array(MagentaGolden.Json["predictor"]![golden["bottleneckOfCard"]!.GetValue<int>()]!["bottleneck"]!).flatten(1);
        var stylised = net.forward(content, style);
        var sampled = stylised.index(TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride));
        double error = (sampled - MagentaGolden.Array(golden["outputEveryStride"]!)).abs().max().item<float>();
        double meanError = Math.Abs(stylised.mean().item<float>() - golden["mean"]!.GetValue<double>());
        output.WriteLine($"384x384: max |Δ| = {error:G3} on every {stride}th pixel; |Δ mean| = {meanError:G3}");
        Assert.True(error < 1e-4 && meanError < 1e-5, $"max abs error {error}, mean error {meanError}");
    }
}
