using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// Carries a deeper level's NNF to the next finer level as its initialisation (Liao et al. 2017, §4.3:
/// φ^{L−1} starts from φ^L up-sampled). Each fine position p looks up its coarse cell p̄, takes that
/// cell's match q̄, and keeps its own position inside the cell: φ(p) = q̄·s′ + (p − p̄·s), with s and s′
/// the source and target scale factors (2 between VGG levels). For equal factors this is the official
/// <c>upSample_kernel</c>'s p + s·(q̄ − p̄): a smooth coarse field stays smooth, and a constant
/// displacement v becomes the constant displacement 2v.
/// </summary>
public static class NnfUpsample
{
    /// <summary>The field on a <paramref name="height"/>×<paramref name="width"/> source grid into a <paramref name="targetHeight"/>×<paramref name="targetWidth"/> target.</summary>
    public static Nnf Apply(Nnf coarse, int height, int width, int targetHeight, int targetWidth)
    {
        using var scope = NewDisposeScope();
        var device = coarse.Coordinates.device;
        var (cellRows, rowScale) = Cells(height, coarse.Height, device);
        var (cellCols, colScale) = Cells(width, coarse.Width, device);
        var matched = coarse.Coordinates.index_select(0, cellRows).index_select(1, cellCols);   // q̄ for every fine p, [h,w,2]

        double targetRowScale = (double)targetHeight / coarse.TargetHeight;
        double targetColScale = (double)targetWidth / coarse.TargetWidth;
        var (ys, xs) = Nnf.Grid(height, width, device);
        var y = Place(matched[.., .., 0], targetRowScale, ys, cellRows.view(-1, 1), rowScale, targetHeight);
        var x = Place(matched[.., .., 1], targetColScale, xs, cellCols.view(1, -1), colScale, targetWidth);
        return new Nnf(stack([y, x], -1).MoveToOuterDisposeScope(), targetHeight, targetWidth);
    }

    /// <summary>p̄ = ⌊(p + ½)/s⌋ for each fine index p along one axis (the coarse cell whose centre is nearest).</summary>
    static (Tensor Cells, double Scale) Cells(int fine, int coarse, Device device)
    {
        double scale = (double)fine / coarse;
        var cells = ((arange(fine, dtype: ScalarType.Float64, device: device) + 0.5) / scale)
            .floor().to(ScalarType.Int64).clamp(0, coarse - 1);
        return (cells, scale);
    }

    /// <summary>q = ⌊q̄·s′ + (p − p̄·s) + ½⌋, clamped into the target.</summary>
    static Tensor Place(Tensor matchedCell, double targetScale, Tensor fine, Tensor cell, double scale, int targetSize) =>
        (matchedCell.to(ScalarType.Float64) * targetScale + (fine - cell * scale) + 0.5)
            .floor().to(ScalarType.Int64).clamp(0, targetSize - 1);
}
