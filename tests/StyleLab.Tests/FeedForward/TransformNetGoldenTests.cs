using System.Text.Json;
using StyleLab.Methods.FeedForward;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace StyleLab.Tests.FeedForward;

/// <summary>
/// The ml5 'wave' network gives what TensorFlow.js gives for the same checkpoint
/// (Fixtures/feedforward/wave-golden.json, made by tools/fixtures/make_fast_style_golden.js).
/// </summary>
public class TransformNetGoldenTests(ITestOutputHelper output)
{
    sealed record GoldenCase(int Height, int Width, int OutHeight, int OutWidth, float[] Input, float[] Raw, float[] Output);
    sealed record Golden(string Style, GoldenCase[] Cases);

    static Golden Read() => JsonSerializer.Deserialize<Golden>(
        File.ReadAllText(TestPaths.Fixture("feedforward", "wave-golden.json")),
        new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    [SkippableTheory]
    [InlineData(0)]   // 32×32: every intermediate size even
    [InlineData(1)]   // 22×26: the stride-2 convolutions meet 11×13, where TF pads symmetrically
    public void Matches_TensorFlowJs_on_the_same_checkpoint(int index)
    {
        Skip.If(TestPaths.SharedFastStyle("wave") is null, "../shared/weights/fast-style-ml5 is absent");
        var golden = Read().Cases[index];
        using var net = TransformNet.LoadTfjsCheckpoint(TestPaths.SharedFastStyle("wave")!);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var input = tensor(golden.Input, [1, 3, golden.Height, golden.Width]) / 255;
        var raw = net.forward(input) * 255;
        Assert.Equal(new long[] { 1, 3, golden.OutHeight, golden.OutWidth }, raw.shape);

        double rawError = (raw - tensor(golden.Raw, raw.shape)).abs().max().item<float>();
        double outputError = (raw.clamp(0, 255) / 255 - tensor(golden.Output, raw.shape)).abs().max().item<float>();
        output.WriteLine($"{golden.Height}x{golden.Width}: max |Δ| = {rawError:G3} on 0..255 (raw), {outputError:G3} on [0,1] (output)");
        // float32 with different summation orders; measured 8e-4 and 3e-4 (raw), 3e-6 (output).
        Assert.True(rawError < 0.01, $"max abs error {rawError} on the 0..255 scale");
        Assert.True(outputError < 5e-5, $"max abs error {outputError} on [0,1]");
    }
}
