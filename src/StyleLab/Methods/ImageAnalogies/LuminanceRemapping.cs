using static TorchSharp.torch;

namespace StyleLab.Methods.ImageAnalogies;

/// <summary>
/// Hertzmann et al. 2001, luminance remapping: before matching, A's luminance is shifted and scaled so its mean and standard
/// deviation are B's, Y(p) ← (σ_B/σ_A)·(Y(p) − μ_A) + μ_B, and the same map is applied to A′ — so a dark B
/// finds matches in a bright A, and B′ comes out in B's tonal range.
/// </summary>
public static class LuminanceRemapping
{
    /// <summary>The remap of A's statistics onto B's, as a function to apply to A and A′ alike.</summary>
    public static Func<Tensor, Tensor> Between(Tensor luminanceA, Tensor luminanceB)
    {
        double meanA = luminanceA.mean().item<float>(), stdA = luminanceA.std(unbiased: false).item<float>();
        double meanB = luminanceB.mean().item<float>(), stdB = luminanceB.std(unbiased: false).item<float>();
        double scale = stdB / Math.Max(stdA, 1e-6);
        return y => (y - meanA) * scale + meanB;
    }
}
