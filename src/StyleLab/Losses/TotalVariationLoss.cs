using static TorchSharp.torch;

namespace StyleLab.Losses;

/// <summary>
/// Total variation, the smoothness prior Gatys et al. mention as an optional extra term (and
/// Johnson et al. 2016 use): <c>Σ (x_{i,j+1} − x_{i,j})² + (x_{i+1,j} − x_{i,j})²</c> over every
/// pair of horizontal and vertical neighbours, summed over channels and images.
/// </summary>
/// <remarks>
/// Squared differences, as jcjohnson/neural-style's <c>TVLoss</c> (its gradient is that of half the
/// squared differences): smooth, so L-BFGS is happy with it, and it damps the high-frequency noise
/// that pixel optimisation produces more than broad edges. It holds no target, so unlike the other
/// losses it is not disposable.
/// </remarks>
public sealed class TotalVariationLoss
{
    /// <summary>The total variation of images [N,C,H,W], a scalar.</summary>
    public Tensor Forward(Tensor image)
    {
        if (image.dim() != 4)
            throw new ArgumentException($"Expected images [N,C,H,W]; got [{string.Join(",", image.shape)}].", nameof(image));
        using var scope = NewDisposeScope();
        long height = image.shape[2], width = image.shape[3];
        var horizontal = image.narrow(3, 1, width - 1) - image.narrow(3, 0, width - 1);
        var vertical = image.narrow(2, 1, height - 1) - image.narrow(2, 0, height - 1);
        return (horizontal.square().sum() + vertical.square().sum()).MoveToOuterDisposeScope();
    }
}
