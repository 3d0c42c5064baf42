using StyleLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.ImageAnalogies;

/// <summary>
/// The feature vector of a pixel q (Hertzmann et al. 2001): the luminance of its 5×5 neighbourhood at
/// the current level and of the 3×3 neighbourhood of ⌊q/2⌋ at the next coarser level, for the unfiltered image
/// (A or B) and the filtered one (A′ or B′), each window weighted by a normalised Gaussian. The weights enter as
/// square roots, so the squared Euclidean distance of two vectors is the paper's Gaussian-weighted SSD; being
/// normalised, each window contributes at most 1 (luminance in [0,1]).
/// </summary>
public static class NeighbourhoodFeatures
{
    /// <summary>Side of the fine window.</summary>
    public const int FineWindow = 5;

    /// <summary>Side of the coarse window.</summary>
    public const int CoarseWindow = 3;

    /// <summary>
    /// Features [1,D,H,W] of a pixel grid from the images at this level (<paramref name="plain"/>, <paramref name="filtered"/>:
    /// [1,1,H,W]) and the coarser level (null at the coarsest). <paramref name="filteredWeight"/> scales the A′/B′ part
    /// (0 in the very first pass, before any B′ exists).
    /// </summary>
    public static Tensor Of(Tensor plain, Tensor filtered, Tensor? coarsePlain, Tensor? coarseFiltered, float filteredWeight = 1)
    {
        using var scope = NewDisposeScope();
        int height = (int)plain.shape[2], width = (int)plain.shape[3];
        var parts = new List<Tensor> { Window(plain, FineWindow), Window(filtered, FineWindow) * filteredWeight };
        if (coarsePlain is not null && coarseFiltered is not null)
        {
            parts.Add(Below(Window(coarsePlain, CoarseWindow), height, width));
            parts.Add(Below(Window(coarseFiltered, CoarseWindow), height, width) * filteredWeight);
        }
        return cat(parts, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The k×k neighbourhood of every pixel, Gaussian-weighted: [1,k²,H,W] (borders replicated).</summary>
    static Tensor Window(Tensor map, int k)
    {
        int r = k / 2;
        long h = map.shape[2], w = map.shape[3];
        var padded = nn.functional.pad(map, [r, r, r, r], PaddingModes.Replicate);
        var columns = nn.functional.unfold(padded, k);   // [1, k², H·W]
        var g = GaussianBlur.Kernel1D(k / 4.0, map.device);
        int centre = (int)g.shape[0] / 2;
        g = g[(centre - r)..(centre + r + 1)];
        var weights = outer(g, g).flatten();
        weights = (weights / weights.sum()).sqrt();
        return (columns * weights.view(1, -1, 1)).view(1, k * k, h, w);
    }

    /// <summary>A coarse map [1,D,h,w] read at ⌊q/2⌋ for every fine pixel q of an H×W grid.</summary>
    static Tensor Below(Tensor coarse, int height, int width) =>
        coarse.repeat_interleave(2, 2).repeat_interleave(2, 3)[.., .., ..height, ..width];
}
