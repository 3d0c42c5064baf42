using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Runtime;

/// <summary>How far one convolution's float32 results are from float64: max |Δ| / max |reference|.</summary>
/// <param name="Case">The convolution.</param>
/// <param name="Threads">libtorch's thread count during the check.</param>
/// <param name="Forward">The output.</param>
/// <param name="GradInput">The gradient with respect to the input.</param>
/// <param name="GradWeight">The gradient with respect to the weight.</param>
public sealed record ConvolutionError(ConvolutionCase Case, int Threads, double Forward, double GradInput, double GradWeight)
{
    /// <summary>float32 accumulations over a few thousand products stay well below this; a dropped tap does not.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>All three within <see cref="Tolerance"/> (NaN never is).</summary>
    public bool Passed => Forward < Tolerance && GradInput < Tolerance && GradWeight < Tolerance;

    public override string ToString() =>
        $"{Case} at {Threads} thread(s): forward {Format(Forward)}, grad_input {Format(GradInput)}, grad_weight {Format(GradWeight)}";

    static string Format(double e) => double.IsNaN(e) ? "NaN" : e < Tolerance ? $"ok ({e:G2})" : $"WRONG ({e:G2})";
}

/// <summary>
/// Checks libtorch's float32 convolutions — the forward pass and both gradients — against the same
/// computation in float64, which libtorch runs with its own kernels (oneDNN has none for float64).
/// </summary>
/// <remarks>
/// Inputs come from a private generator, so a check never moves libtorch's global random state (a
/// seeded training run started afterwards is unchanged). The thread count is restored afterwards.
/// </remarks>
public static class ConvolutionCheck
{
    /// <summary>Checks each case at each thread count.</summary>
    public static IReadOnlyList<ConvolutionError> Run(IEnumerable<ConvolutionCase> cases, IEnumerable<int> threadCounts)
    {
        int threadsBefore = get_num_threads();
        var errors = new List<ConvolutionError>();
        try
        {
            using var grad = enable_grad();
            foreach (int threads in threadCounts)
            {
                set_num_threads(threads);
                foreach (var c in cases) errors.Add(Check(c, threads));
            }
        }
        finally
        {
            set_num_threads(threadsBefore);
        }
        return errors;
    }

    static ConvolutionError Check(ConvolutionCase c, int threads)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(20261204);
        var x = randn([c.N, c.InChannels, c.Size, c.Size], generator: generator);
        var w = c.Transposed
            ? randn([c.InChannels, c.OutChannels, c.Kernel, c.Kernel], generator: generator)
            : randn([c.OutChannels, c.InChannels, c.Kernel, c.Kernel], generator: generator);
        using (no_grad())
        {
            long outSize;
            using (var probe = Convolve(c, zeros([1, c.InChannels, c.Size, c.Size]), zeros_like(w)))
                outSize = probe.shape[2];
            var gradOutput = randn([c.N, c.OutChannels, outSize, outSize], generator: generator);
            var single = Evaluate(c, x, w, gradOutput, ScalarType.Float32);
            var reference = Evaluate(c, x, w, gradOutput, ScalarType.Float64);
            return new ConvolutionError(c, threads,
                RelativeError(single[0], reference[0]), RelativeError(single[1], reference[1]), RelativeError(single[2], reference[2]));
        }
    }

    /// <summary>Output, grad_input and grad_weight in <paramref name="type"/>.</summary>
    static Tensor[] Evaluate(ConvolutionCase c, Tensor x, Tensor w, Tensor gradOutput, ScalarType type)
    {
        using var grad = enable_grad();
        var xi = x.to_type(type).detach().requires_grad_(true);
        var wi = w.to_type(type).detach().requires_grad_(true);
        var y = Convolve(c, xi, wi);
        y.backward([gradOutput.to_type(type)]);
        return [y.detach(), xi.grad!, wi.grad!];
    }

    static Tensor Convolve(ConvolutionCase c, Tensor x, Tensor w) => c.Transposed
        ? F.conv_transpose2d(x, w, strides: [c.Stride, c.Stride], padding: [c.Padding, c.Padding])
        : F.conv2d(x, w, strides: [c.Stride, c.Stride], padding: [c.Padding, c.Padding]);

    static double RelativeError(Tensor single, Tensor reference)
    {
        double scale = reference.abs().max().item<double>();
        double error = (single.to_type(ScalarType.Float64) - reference).abs().max().item<double>();
        return error / Math.Max(scale, double.Epsilon);
    }
}
