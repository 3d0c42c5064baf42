using StyleLab.Methods.DeepAnalogy;
using static TorchSharp.torch;

namespace StyleLab.Methods.ImageAnalogies;

/// <summary>
/// Ashikhmin's coherence candidates (Hertzmann et al. 2001, the BestCoherenceMatch of its algorithm): for each pixel q of B′ and
/// each neighbour r in its 5×5 neighbourhood, continue r's source: p = s(r) + (q − r). The candidate whose
/// features are nearest to q's wins. q itself is not a candidate (in the paper it is not yet synthesised); its
/// current source stays in the running through PatchMatch, which starts from it.
/// </summary>
public static class CoherenceMatch
{
    /// <summary>The best coherence candidate per pixel of the field's source grid, and its squared feature distance.</summary>
    /// <param name="field">s: B → A, [H,W,2].</param>
    /// <param name="featuresB">B's features [1,D,H,W].</param>
    /// <param name="featuresA">A's features [1,D,HA,WA] (the field's target grid).</param>
    public static (Tensor Source, Tensor Distance) Best(Nnf field, Tensor featuresB, Tensor featuresA)
    {
        using var scope = NewDisposeScope();
        int h = field.Height, w = field.Width, r = NeighbourhoodFeatures.FineWindow / 2;
        var limits = tensor(new long[] { field.TargetHeight - 1, field.TargetWidth - 1 }, device: field.Coordinates.device);
        var ys = arange(h, dtype: ScalarType.Int64, device: limits.device).view(h, 1).expand(h, w);
        var xs = arange(w, dtype: ScalarType.Int64, device: limits.device).view(1, w).expand(h, w);
        Tensor? best = null, bestDistance = null;
        for (int dy = -r; dy <= r; dy++)
        for (int dx = -r; dx <= r; dx++)
        {
            if (dy == 0 && dx == 0) continue;
            using var step = NewDisposeScope();
            // neighbour[q] = s(q + δ); candidate = s(q + δ) − δ, kept where both q + δ and the candidate lie inside.
            var neighbour = roll(field.Coordinates, [-dy, -dx], [0, 1]);
            var candidate = neighbour - tensor(new long[] { dy, dx }, device: limits.device);
            var inside = (ys + dy).ge(0) & (ys + dy).lt(h) & (xs + dx).ge(0) & (xs + dx).lt(w)
                         & candidate.ge(0).all(-1) & candidate.le(limits).all(-1);
            candidate = where(inside.unsqueeze(-1), candidate, field.Coordinates);
            var distance = Distance(candidate, featuresB, featuresA, field.TargetWidth);
            if (best is null)
            {
                best = candidate.MoveToOuterDisposeScope();
                bestDistance = distance.MoveToOuterDisposeScope();
                continue;
            }
            var better = distance.lt(bestDistance!);
            var nextBest = where(better.unsqueeze(-1), candidate, best);
            var nextDistance = where(better, distance, bestDistance!);
            step.MoveToOuter(nextBest, nextDistance);
            best.Dispose();
            bestDistance!.Dispose();
            (best, bestDistance) = (nextBest, nextDistance);
        }
        return (best!.MoveToOuterDisposeScope(), bestDistance!.MoveToOuterDisposeScope());
    }

    /// <summary>‖F_B(q) − F_A(p(q))‖² for a field of sources p [H,W,2] → [H,W].</summary>
    public static Tensor Distance(Tensor sources, Tensor featuresB, Tensor featuresA, int widthA)
    {
        using var scope = NewDisposeScope();
        long d = featuresA.shape[1], h = sources.shape[0], w = sources.shape[1];
        var index = (sources[.., .., 0] * widthA + sources[.., .., 1]).reshape(-1);
        var gathered = featuresA.reshape(d, -1).index_select(1, index).view(d, h, w);
        return (featuresB[0] - gathered).square().sum(dim: 0).MoveToOuterDisposeScope();
    }
}
