using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Losses;

/// <summary>
/// Gram matrices of feature maps: Gatys, Ecker &amp; Bethge (CVPR 2016), eq. 3,
/// <c>G_ij = Σ_k F_ik F_jk</c> — the correlations between channels, with the spatial layout summed
/// away, which is what makes them a representation of style rather than of content.
/// </summary>
public static class Gram
{
    /// <summary>
    /// <c>F Fᵀ</c> for features [N,C,H,W] → [N,C,C], unnormalised as in the paper (the loss that uses
    /// it decides the normalisation). With a <paramref name="mask"/> ([1,1,h,w] or [N,1,h,w], any
    /// resolution, values in [0,1]) this is the guided Gram matrix of Gatys et al. (CVPR 2017, §3):
    /// the features are weighted by the mask, resized to the layer's resolution, before correlating,
    /// so only the masked region contributes.
    /// </summary>
    public static Tensor Matrix(Tensor features, Tensor? mask = null)
    {
        RequireFeatures(features);
        using var scope = NewDisposeScope();
        var weighted = mask is null ? features : features * ResizeMask(mask, features);
        var flat = weighted.flatten(2);                                    // [N,C,M]
        return flat.bmm(flat.transpose(1, 2)).MoveToOuterDisposeScope();   // [N,C,C]
    }

    /// <summary>
    /// How many spatial positions a (guided) Gram matrix sums over: <c>M = H·W</c> without a mask,
    /// otherwise <c>Σ mask²</c> at the layer's resolution (each product F_ik F_jk is weighted by the
    /// mask twice). Dividing by it makes Gram matrices of different sizes or regions comparable; it is
    /// [N,1,1] so it divides a batch of Gram matrices.
    /// </summary>
    public static Tensor Positions(Tensor features, Tensor? mask = null)
    {
        RequireFeatures(features);
        using var scope = NewDisposeScope();
        var (n, m) = (features.shape[0], features.shape[2] * features.shape[3]);
        var positions = mask is null
            ? full(new long[] { n, 1, 1 }, (double)m, dtype: features.dtype, device: features.device)
            : ResizeMask(mask, features).square().sum([1, 2, 3]).expand(n).view(n, 1, 1);
        return positions.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A mask at image resolution brought to a layer's resolution by area averaging, which is what a
    /// chain of 2×2 poolings does to a region's coverage.
    /// </summary>
    public static Tensor ResizeMask(Tensor mask, Tensor features)
    {
        if (mask.dim() != 4 || mask.shape[1] != 1)
            throw new ArgumentException($"A mask must be [1,1,H,W] or [N,1,H,W]; got [{string.Join(",", mask.shape)}].", nameof(mask));
        using var scope = NewDisposeScope();
        var size = new[] { features.shape[2], features.shape[3] };
        var onDevice = mask.to(features.dtype, features.device);
        var resized = mask.shape[2] == size[0] && mask.shape[3] == size[1]
            ? onDevice.alias()
            : nn.functional.interpolate(onDevice, size, mode: InterpolationMode.Area);
        return resized.MoveToOuterDisposeScope();
    }

    static void RequireFeatures(Tensor features)
    {
        if (features.dim() != 4)
            throw new ArgumentException($"Features must be [N,C,H,W]; got [{string.Join(",", features.shape)}].", nameof(features));
    }
}
