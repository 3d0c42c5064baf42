using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// Where the two fields agree (Liao et al. 2017 find φ_{a→b} and φ_{b→a} jointly so that they do):
/// the round-trip error ‖φ_{b→a}(φ_{a→b}(p)) − p‖ in source pixels. 0 where a pixel's match maps
/// straight back; large where the correspondence is one-sided (content of A that B′ lacks).
/// </summary>
public static class BidirectionalConsistency
{
    /// <summary>The round-trip error per source position of <paramref name="aToB"/>, [1,1,H,W] float32.</summary>
    public static Tensor Map(Nnf aToB, Nnf bToA)
    {
        if (bToA.Height != aToB.TargetHeight || bToA.Width != aToB.TargetWidth ||
            bToA.TargetHeight != aToB.Height || bToA.TargetWidth != aToB.Width)
            throw new ArgumentException($"The fields are not inverse in shape: {aToB} and {bToA}.");
        using var scope = NewDisposeScope();
        var back = bToA.Coordinates.view(-1, 2).index_select(0, aToB.FlatIndices()).view(aToB.Height, aToB.Width, 2);
        var (ys, xs) = Nnf.Grid(aToB.Height, aToB.Width, aToB.Coordinates.device);
        var error = (back - stack([ys, xs], -1)).to(ScalarType.Float32).square().sum(-1).sqrt();
        return error.view(1, 1, aToB.Height, aToB.Width).MoveToOuterDisposeScope();
    }

    /// <summary>A grey image [1,3,H,W] of a <see cref="Map"/>: black = consistent, white = off by <paramref name="saturateAt"/> pixels or more.</summary>
    public static Tensor Image(Tensor map, float saturateAt = 8f)
    {
        using var scope = NewDisposeScope();
        return (map / saturateAt).clamp(0, 1).expand(-1, 3, -1, -1).contiguous().MoveToOuterDisposeScope();
    }
}
