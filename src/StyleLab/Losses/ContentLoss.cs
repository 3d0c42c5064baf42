using static TorchSharp.torch;

namespace StyleLab.Losses;

/// <summary>
/// The content loss of Gatys, Ecker &amp; Bethge (CVPR 2016), eq. 1:
/// <c>L_content = ½ Σ_ij (F_ij − P_ij)²</c>, where <c>P</c> are the content image's features at one
/// layer (captured once, when the loss is made) and <c>F</c> those of the image being optimised.
/// </summary>
public sealed class ContentLoss : IDisposable
{
    /// <summary>The content image's features <c>P</c> at this layer, detached (no gradient flows into the target).</summary>
    public Tensor Target { get; }

    /// <summary>Captures the target features: a detached copy, owned and disposed by this loss.</summary>
    public ContentLoss(Tensor targetFeatures)
    {
        Target = targetFeatures.detach().clone().DetachFromDisposeScope();
    }

    /// <summary>½ Σ (F − P)², a scalar; differentiable with respect to <paramref name="features"/>.</summary>
    public Tensor Forward(Tensor features)
    {
        if (!features.shape.SequenceEqual(Target.shape))
            throw new ArgumentException(
                $"Features [{string.Join(",", features.shape)}] do not match the content target [{string.Join(",", Target.shape)}]; " +
                "the image being optimised must have the content image's size.", nameof(features));
        using var scope = NewDisposeScope();
        return (0.5 * (features - Target).square().sum()).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public void Dispose() => Target.Dispose();
}
