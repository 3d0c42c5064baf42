using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods.AdaIN;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Diagnostics;

/// <summary>
/// The AdaIN workload of <c>stylelab bench adain</c> and <c>bench/StyleLab.Benchmarks adain</c>, mirrored by
/// <c>tools/bench/adain_reference.py</c>: one style transfer at full size with random weights — the
/// normalised VGG-19 (1×1 conv, reflection padding, ceil-mode pooling) to <c>relu4_1</c> on content and
/// style, AdaIN, and the mirrored decoder — in inference mode on 1×3×S×S images.
/// </summary>
public static class AdaINBenchmark
{
    /// <summary>Times the workload at each size; <paramref name="progress"/> gets each result as it is done.</summary>
    public static IReadOnlyList<BenchmarkResult> Run(IEnumerable<int> sizes, int repeat = 5, int warmup = 1, Device? device = null,
        IProgress<BenchmarkResult>? progress = null, CancellationToken cancellationToken = default)
    {
        device ??= CPU;
        using var model = RandomModel(device);
        var results = new List<BenchmarkResult>();
        foreach (int size in sizes)
        {
            using var scope = NewDisposeScope();
            var content = rand(1, 3, size, size, device: device);
            var style = rand(1, 3, size, size, device: device);
            var timing = BenchmarkTiming.Measure(() =>
            {
                using var _ = inference_mode();
                using var inner = NewDisposeScope();
                var target = AdaptiveInstanceNorm.Apply(model.Encode(content), model.Encode(style));
                model.Decode(target);
                if (device.type == DeviceType.CUDA) cuda.synchronize(device);
            }, repeat, warmup, cancellationToken);
            // Encoder twice, and the decoder: the encoder's convolutions mirrored, the same multiply-adds.
            var result = new BenchmarkResult("adain", size, timing, 3 * VggFlops.Forward(size, size, "relu4_1"));
            results.Add(result);
            progress?.Report(result);
        }
        return results;
    }

    /// <summary>The official architecture with random weights (the leading 1×1 conv included).</summary>
    public static AdaINModel RandomModel(Device? device = null)
    {
        using var saved = random.get_rng_state();
        random.manual_seed(0);
        using var full = Vgg19Encoder.Random(0);
        var weights = full.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        weights["conv0.weight"] = randn(3, 3, 1, 1);
        weights["conv0.bias"] = zeros(3);
        var encoder = Vgg19Encoder.FromStateDict(weights, Preprocessing.Identity, VggPresets.Normalised, "random", VggWeightLayout.Named);
        var decoder = new VggDecoder("relu4_1");
        random.set_rng_state(saved);
        weights["conv0.weight"].Dispose();
        weights["conv0.bias"].Dispose();
        decoder.eval();
        if (device is not null) { encoder.to(device); decoder.to(device); }
        return new AdaINModel(encoder, decoder);
    }
}
