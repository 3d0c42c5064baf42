using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Arbitrary;

/// <summary>
/// Fixtures/arbitrary/magenta-golden.json, made by tools/fixtures/make_magenta_golden.py from
/// independent references (Arm NN's TFLite reference backend; a NumPy interpreter of the graph).
/// </summary>
static class MagentaGolden
{
    public static JsonObject Json { get; } = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("arbitrary", "magenta-golden.json")))!.AsObject();

    /// <summary>A base64 NHWC float32 array as an NCHW tensor (rank 4) or as is.</summary>
    public static Tensor Array(JsonNode node)
    {
        var shape = node["shape"]!.AsArray().Select(d => (long)d!.GetValue<int>()).ToArray();
        var bytes = Convert.FromBase64String(node["base64"]!.GetValue<string>());
        var t = torch.empty(shape, ScalarType.Float32);
        t.bytes = bytes;
        return shape.Length == 4 ? t.permute(0, 3, 1, 2).contiguous() : t;
    }

    /// <summary>
    /// The script's integer test cards ([1,3,H,W] in [0,1]): integer pixel formulas divided by 255, so
    /// both sides see bit-identical inputs.
    /// </summary>
    public static Tensor TestCard(int height, int width, int variant)
    {
        var pixels = new float[3 * height * width];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    long v = variant == 0
                        ? (x * 7 + y * 3 + c * 85 + ((x / 16 + y / 16) % 2) * 90) % 256
                        : ((x * x + y * y) / (8 + 4 * c) + (x / 8) * 20 * (c == 1 ? 1 : 0) + (y / 32) * 40 * (c == 2 ? 1 : 0)) % 256;
                    pixels[(c * height + y) * width + x] = v / 255f;
                }
        return torch.tensor(pixels, [1, 3, height, width]);
    }

    public static string? PredictorPath => Tflite("style_predict_quantized_256.tflite");
    public static string? TransformerPath => Tflite("style_transfer_f16_384.tflite");

    static string? Tflite(string file) => TestPaths.SharedWeights is { } w && File.Exists(Path.Combine(w, "magenta-arbitrary", "tflite", file))
        ? Path.Combine(w, "magenta-arbitrary", "tflite", file)
        : null;
}
