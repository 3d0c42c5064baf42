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
}
