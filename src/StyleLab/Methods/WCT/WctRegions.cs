using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.WCT;

/// <summary>
/// Region maps for spatial control: an int64 [H,W] map holding, for each pixel, the index of the style
/// it takes (−1: keep the content).
/// </summary>
public static class WctRegions
{
    /// <summary>
    /// Two styles split by a mask (as the official <c>test_wct_mask.lua</c>): where the mask is at least
    /// <paramref name="threshold"/> the first style, elsewhere the second. <paramref name="mask"/> is an image
    /// [1,C,H,W] or [H,W] in [0,1]; colour masks are averaged over channels.
    /// </summary>
    public static Tensor FromMask(Tensor mask, double threshold = 0.5)
    {
        using var scope = NewDisposeScope();
        var grey = mask.dim() switch
        {
            2 => mask,
            4 when mask.shape[0] == 1 => mask[0].mean([0]),
            _ => throw new ArgumentException($"A mask is an image [1,C,H,W] or [H,W]; got [{string.Join(",", mask.shape)}].", nameof(mask)),
        };
        return where(grey >= threshold, 0L, 1L).to(ScalarType.Int64).MoveToOuterDisposeScope();
    }

    /// <summary>One region per mask: pixel → the index of the first of <paramref name="masks"/> (each [H,W] or [1,C,H,W]) that covers it, else −1.</summary>
    public static Tensor FromMasks(IReadOnlyList<Tensor> masks, double threshold = 0.5)
    {
        if (masks.Count == 0) throw new ArgumentException("At least one mask is needed.", nameof(masks));
        using var scope = NewDisposeScope();
        Tensor? labels = null;
        for (int k = masks.Count - 1; k >= 0; k--)
        {
            var inside = FromMask(masks[k], threshold) == 0;
            labels = labels is null ? where(inside, (long)k, -1L) : where(inside, (long)k, labels);
        }
        return labels!.to(ScalarType.Int64).MoveToOuterDisposeScope();
    }

    /// <summary>The region map on a feature grid [h,w], by nearest neighbour (labels are never mixed).</summary>
    public static Tensor Resize(Tensor regions, long height, long width)
    {
        if (regions.shape[0] == height && regions.shape[1] == width) return regions.alias();
        using var scope = NewDisposeScope();
        var resized = F.interpolate(regions.to(ScalarType.Float32).view(1, 1, regions.shape[0], regions.shape[1]),
            [height, width], mode: InterpolationMode.Nearest);
        return resized.view(height, width).round().to(ScalarType.Int64).MoveToOuterDisposeScope();
    }
}
