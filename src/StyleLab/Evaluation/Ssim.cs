using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Evaluation;

/// <summary>
/// Structural similarity (Wang, Bovik, Sheikh &amp; Simoncelli 2004, eq. 13) on luminance: an 11×11 Gaussian
/// window with σ = 1.5, C₁ = (0.01·L)², C₂ = (0.03·L)², L = 1 — the paper's settings.
/// </summary>
public static class Ssim
{
    const int Window = 11;
    const double Sigma = 1.5, C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;

    /// <summary>Mean SSIM of two images [N,3,H,W] in [0,1] of one size (a number in [−1, 1]; 1 = identical).</summary>
    public static double Compute(Tensor x, Tensor y)
    {
        if (!x.shape.SequenceEqual(y.shape) || x.dim() != 4 || x.shape[1] != 3)
            throw new ArgumentException($"SSIM compares two images [N,3,H,W] of one size; got [{string.Join(",", x.shape)}] and [{string.Join(",", y.shape)}].");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = Luminance(x.to(ScalarType.Float64));
        var b = Luminance(y.to(ScalarType.Float64));
        var window = Gaussian(a.device);
        int pad = Math.Min(Window / 2, (int)Math.Min(a.shape[2], a.shape[3]) - 1);
        Tensor Blur(Tensor t) => F.conv2d(F.pad(t, [pad, pad, pad, pad], PaddingModes.Reflect), window);
        var (muA, muB) = (Blur(a), Blur(b));
        var varA = Blur(a * a) - muA * muA;
        var varB = Blur(b * b) - muB * muB;
        var cov = Blur(a * b) - muA * muB;
        var map = (2 * muA * muB + C1) * (2 * cov + C2) / ((muA * muA + muB * muB + C1) * (varA + varB + C2));
        return map.mean().item<double>();
    }

    /// <summary>ITU-R BT.601 luma, [N,1,H,W].</summary>
    static Tensor Luminance(Tensor rgb) =>
        (0.299 * rgb[.., 0..1] + 0.587 * rgb[.., 1..2] + 0.114 * rgb[.., 2..3]);

    static Tensor Gaussian(Device device)
    {
        var x = arange(Window, ScalarType.Float64, device) - Window / 2;
        var g = exp(-(x * x) / (2 * Sigma * Sigma));
        g = g / g.sum();
        return outer(g, g).view(1, 1, Window, Window);
    }
}
