using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// How much of A's own features A′ keeps at a level (Liao et al. 2017, §4.3, Eq. 6–7):
/// <c>F_A′ = F_A ∘ W + R_B′ ∘ (1 − W)</c> with <c>W = α_L · M</c> and
/// <c>M = sigmoid(κ(‖F_A‖² − τ))</c>, ‖F_A‖² the squared feature norm per position scaled to [0,1].
/// Strong responses mark structure (edges, objects) that A′ must keep; weak ones are free to take
/// B′'s appearance. κ = 300 makes M nearly a step at τ = 0.05 (the official code uses the step itself).
/// </summary>
public static class BlendWeights
{
    /// <summary>The paper's sharpness κ.</summary>
    public const float DefaultKappa = 300f;

    /// <summary>The paper's threshold τ on the normalised squared norm.</summary>
    public const float DefaultTau = 0.05f;

    /// <summary>W for features [N,C,H,W] → [N,1,H,W] in [0, α].</summary>
    public static Tensor Compute(Tensor features, float alpha, float kappa = DefaultKappa, float tau = DefaultTau)
    {
        if (features.dim() != 4)
            throw new ArgumentException($"Features must be [N,C,H,W]; got [{string.Join(",", features.shape)}].", nameof(features));
        using var scope = NewDisposeScope();
        var magnitude = features.square().sum(1, keepdim: true);
        var flat = magnitude.flatten(1);
        var min = flat.amin([1]).view(-1, 1, 1, 1);
        var max = flat.amax([1]).view(-1, 1, 1, 1);
        var normalised = (magnitude - min) / (max - min).clamp_min(1e-12f);
        return (alpha * (kappa * (normalised - tau)).sigmoid()).MoveToOuterDisposeScope();
    }

    /// <summary><c>F ∘ W + R ∘ (1 − W)</c>: features keep their structure where W is high and take the reconstruction elsewhere.</summary>
    public static Tensor Blend(Tensor features, Tensor reconstruction, Tensor weights)
    {
        if (!features.shape.SequenceEqual(reconstruction.shape))
            throw new ArgumentException(
                $"Features [{string.Join(",", features.shape)}] and reconstruction [{string.Join(",", reconstruction.shape)}] must have the same shape.");
        using var scope = NewDisposeScope();
        return (features * weights + reconstruction * (1 - weights)).MoveToOuterDisposeScope();
    }
}
