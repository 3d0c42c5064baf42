using StyleLab.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Diagnostics;

/// <summary>
/// The workloads behind <c>stylelab bench</c> and <c>bench/StyleLab.Benchmarks</c> (one place, so both
/// measure the same thing), mirrored by <c>tools/bench/gatys_reference.py</c> for PyTorch:
/// a VGG-19 forward pass to <c>relu5_1</c>, and one Gatys iteration — forward with autograd to the
/// image, Gram style losses at <c>relu1_1 … relu5_1</c>, content loss at <c>relu4_2</c>, backward.
/// Weights are random (<see cref="Vgg19Encoder.Random"/>): speed does not depend on their values.
/// </summary>
public static class GatysBenchmark
{
    /// <summary>Gatys et al.'s style layers.</summary>
    public static IReadOnlyList<string> StyleLayers { get; } = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"];

    /// <summary>Gatys et al.'s content layer.</summary>
    public const string ContentLayer = "relu4_2";

    /// <summary>Times both workloads at each size; <paramref name="progress"/> gets each result as it is done.</summary>
    public static IReadOnlyList<BenchmarkResult> Run(IEnumerable<int> sizes, int repeat = 5, int warmup = 1, Device? device = null,
        IProgress<BenchmarkResult>? progress = null, CancellationToken cancellationToken = default)
    {
        device ??= CPU;
        using var encoder = Vgg19Encoder.Random(seed: 0, device: device);
        var results = new List<BenchmarkResult>();
        foreach (int size in sizes)
        {
            foreach (var result in new[] { Forward(encoder, size, repeat, warmup, device, cancellationToken),
                                           Iteration(encoder, size, repeat, warmup, device, cancellationToken) })
            {
                results.Add(result);
                progress?.Report(result);
            }
        }
        return results;
    }

    /// <summary>The forward workload: image to relu5_1 without autograd.</summary>
    public static BenchmarkResult Forward(Vgg19Encoder encoder, int size, int repeat, int warmup, Device device, CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        var image = rand(1, 3, size, size, device: device);
        var timing = BenchmarkTiming.Measure(() =>
        {
            using var _ = inference_mode();
            using var inner = NewDisposeScope();
            using var outputs = encoder.Encode(image, ["relu5_1"]);
            Synchronize(device);
        }, repeat, warmup, cancellationToken);
        return new BenchmarkResult("forward", size, timing, VggFlops.Forward(size, size));
    }

    /// <summary>The Gatys workload: one full loss evaluation and gradient with respect to the image.</summary>
    public static BenchmarkResult Iteration(Vgg19Encoder encoder, int size, int repeat, int warmup, Device device, CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        var content = rand(1, 3, size, size, device: device);
        var style = rand(1, 3, size, size, device: device);
        // Targets are fixed during optimisation: computed once without autograd, then cloned out of
        // inference mode (inference tensors cannot be saved for a backward pass).
        Tensor contentTarget;
        Dictionary<string, Tensor> styleTargets;
        using (inference_mode())
        {
            using var c = encoder.Encode(content, [ContentLayer]);
            using var s = encoder.Encode(style, StyleLayers);
            contentTarget = c[ContentLayer].alias(); // outlives c, which frees its own handles
            styleTargets = StyleLayers.ToDictionary(l => l, l => Gram(s[l]));
        }
        contentTarget = contentTarget.clone();
        styleTargets = styleTargets.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var image = content.clone().requires_grad_(true);
        string[] layers = [.. StyleLayers, ContentLayer];

        var timing = BenchmarkTiming.Measure(() =>
        {
            using var inner = NewDisposeScope();
            image.grad?.zero_();
            using var features = encoder.Encode(image, layers);
            var loss = nn.functional.mse_loss(features[ContentLayer], contentTarget);
            foreach (var layer in StyleLayers)
                loss = loss + 1e3 * nn.functional.mse_loss(Gram(features[layer]), styleTargets[layer]);
            loss.backward();
            Synchronize(device);
        }, repeat, warmup, cancellationToken);
        return new BenchmarkResult("gatys", size, timing, VggFlops.GatysIteration(size, size, StyleLayers, ContentLayer));
    }

    /// <summary>Gatys's normalised Gram matrix of [1,C,H,W] features: F·Fᵀ / (C·H·W).</summary>
    static Tensor Gram(Tensor features)
    {
        long c = features.shape[1], n = features.shape[2] * features.shape[3];
        var f = features.reshape(c, n);
        return f.mm(f.t()) / (c * n);
    }

    static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }

    /// <summary>The process's peak resident memory so far, in bytes (VmHWM on Linux).</summary>
    public static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
            foreach (var line in File.ReadLines(status))
                if (line.StartsWith("VmHWM:") && long.TryParse(line[6..].Trim().Split(' ')[0], out long kb)) return kb * 1024;
        return System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
