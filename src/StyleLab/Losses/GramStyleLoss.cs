using static TorchSharp.torch;

namespace StyleLab.Losses;

/// <summary>
/// The style loss of one layer, Gatys, Ecker &amp; Bethge (CVPR 2016), eq. 4:
/// <c>E_l = 1/(4 N_l² M_l²) Σ_ij (G_ij − A_ij)²</c>, with <c>G</c> and <c>A</c> the
/// <see cref="Gram"/> matrices of the optimised and the style image, <c>N_l</c> channels and
/// <c>M_l</c> positions. The style image's Gram matrix <c>A</c> is computed once, when the loss is made.
/// </summary>
/// <remarks>
/// Computed as <c>1/(4 N²) Σ (G/M − A/M_A)²</c>: each Gram matrix is divided by the positions it
/// sums over. That is exactly eq. 4 when the two images have the same size, and keeps the loss right
/// when the style image has another size (or, with masks, another region area) than the output —
/// an unnormalised Gram matrix grows with the area it sums over. See <see cref="Gram.Positions"/>.
/// </remarks>
public sealed class GramStyleLoss : IDisposable
{
    readonly Tensor _targetGram;   // A / M_A, [N,C,C]

    /// <summary>
    /// Computes the style target from the style image's features, optionally guided by a
    /// <paramref name="targetMask"/> (Gatys et al. CVPR 2017 spatial control: the region of the style
    /// image whose style is wanted).
    /// </summary>
    public GramStyleLoss(Tensor targetFeatures, Tensor? targetMask = null)
    {
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            var features = targetFeatures.detach();
            _targetGram = (Gram.Matrix(features, targetMask) / Gram.Positions(features, targetMask).clamp_min(1e-8))
                .MoveToOuterDisposeScope().DetachFromDisposeScope();
        }
    }

    /// <summary>The style target <c>A / M_A</c> [N,C,C] (read-only view for diagnostics).</summary>
    public Tensor Target => _targetGram;

    /// <summary>
    /// <c>E_l</c> for <paramref name="features"/> [N,C,H,W], a scalar; with a <paramref name="mask"/>
    /// only that region of the optimised image is compared with the target.
    /// </summary>
    public Tensor Forward(Tensor features, Tensor? mask = null)
    {
        if (features.dim() != 4 || features.shape[1] != _targetGram.shape[1])
            throw new ArgumentException(
                $"Features [{string.Join(",", features.shape)}] do not have the style target's {_targetGram.shape[1]} channels.", nameof(features));
        using var scope = NewDisposeScope();
        double channels = features.shape[1];
        var gram = Gram.Matrix(features, mask) / Gram.Positions(features, mask).clamp_min(1e-8);
        var loss = (gram - _targetGram).square().sum() / (4 * channels * channels);
        return loss.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void Dispose() => _targetGram.Dispose();
}
