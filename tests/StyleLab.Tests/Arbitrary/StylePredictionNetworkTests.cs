using StyleLab.Methods.Arbitrary;
using StyleLab.Weights;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace StyleLab.Tests.Arbitrary;

/// <summary>Magenta's int8 MobileNet-v2 style predictor against Arm NN's TFLite reference backend.</summary>
public class StylePredictionNetworkTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(0)]
    [InlineData(1)]
    public void Bottleneck_matches_Arm_NN_running_the_int8_model(int card)
    {
        Skip.If(MagentaGolden.PredictorPath is null, "../shared magenta-arbitrary weights are absent");
        using var net = StylePredictionNetwork.FromTflite(TfliteModel.Load(MagentaGolden.PredictorPath!));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var expected = MagentaGolden.Array(MagentaGolden.Json["predictor"]![card]!["bottleneck"]!).flatten(1);
        var actual = net.forward(MagentaGolden.TestCard(256, 256, card));
        double error = (actual - expected).abs().max().item<float>();
        // The output lives on an int8 grid of step 0.0199: count how many elements are a step or more apart.
        long offGrid = (actual - expected).abs().gt(0.0199f * 0.5f).sum().item<long>();
        output.WriteLine($"card {card}: max |Δ| = {error:G3} (bottleneck std {expected.std().item<float>():F3}); {offGrid}/100 elements differ by a grid step");
        Assert.True(error < 0.0199f * 3.5, $"max abs error {error}");
    }

    [SkippableFact]
    public void The_float_network_the_int8_one_approximates_is_close_but_not_on_its_grid()
    {
        Skip.If(MagentaGolden.PredictorPath is null, "../shared magenta-arbitrary weights are absent");
        using var net = StylePredictionNetwork.FromTflite(TfliteModel.Load(MagentaGolden.PredictorPath!), simulateInt8: false);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var expected = MagentaGolden.Array(MagentaGolden.Json["predictor"]![0]!["bottleneck"]!).flatten(1);
        var actual = net.forward(MagentaGolden.TestCard(256, 256, 0));
        double error = (actual - expected).abs().max().item<float>();
        double correlation = torch.stack([actual.flatten(), expected.flatten()]).corrcoef()[0, 1].item<float>();
        output.WriteLine($"float network: max |Δ| = {error:G3}, correlation {correlation:F4}");
        Assert.True(correlation > 0.98, $"correlation {correlation}");
    }
}
