using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// Randomised nearest-neighbour search (Barnes et al. 2009) over deep features with the
/// bidirectional patch distance of Liao et al. 2017, Eq. (2) (<see cref="PatchDistance"/>).
/// </summary>
/// <remarks>
/// Classic PatchMatch visits pixels in scan order, so a good match travels across the image within
/// one pass. Here every step is a whole-image pass — the official GPU kernel's jump flooding:
/// each source position p tries its neighbour n = p + δ's match shifted back, φ(n) − δ, for
/// δ = ±j along each axis and j in <see cref="PatchMatchSettings.Jumps"/>, keeping it when it is
/// strictly better; then random search samples one candidate per position uniformly in windows of
/// halving radius around φ(p). Each pass is one candidate field evaluated for all positions at
/// once, so the search is as deterministic as its <see cref="Generator"/> and runs on any device.
/// </remarks>
public static class PatchMatch
{
    /// <summary>φ from (A, A′) to (B, B′), features [1,C,H,W] or [C,H,W], starting from <paramref name="initial"/>.</summary>
    public static PatchMatchResult Search(Tensor a, Tensor aPrime, Tensor b, Tensor bPrime, Nnf initial,
        PatchMatchSettings settings, Generator generator, CancellationToken cancellationToken = default)
    {
        using var distance = new PatchDistance(a, aPrime, b, bPrime, settings.PatchSize);
        return Search(distance, initial, settings, generator, cancellationToken);
    }

    /// <summary>φ under a prepared distance, starting from <paramref name="initial"/> (left untouched).</summary>
    public static PatchMatchResult Search(PatchDistance distance, Nnf initial, PatchMatchSettings settings,
        Generator generator, CancellationToken cancellationToken = default)
    {
        if (initial.Height != distance.SourceHeight || initial.Width != distance.SourceWidth ||
            initial.TargetHeight != distance.TargetHeight || initial.TargetWidth != distance.TargetWidth)
            throw new ArgumentException(
                $"The initial {initial} does not fit the distance's grids {distance.SourceHeight}×{distance.SourceWidth} → {distance.TargetHeight}×{distance.TargetWidth}.",
                nameof(initial));

        using var scope = NewDisposeScope();
        var field = initial.Coordinates.clone();
        var best = distance.Evaluate(field);
        var limits = tensor(new long[] { distance.TargetHeight - 1, distance.TargetWidth - 1 }, device: field.device);
        int targetSide = Math.Max(distance.TargetHeight, distance.TargetWidth);

        for (int iteration = 0; iteration < settings.Iterations; iteration++)
        {
            foreach (int jump in settings.PropagationJumps)
            foreach (var (dy, dx) in new[] { (0, -jump), (0, jump), (-jump, 0), (jump, 0) })
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var step = NewDisposeScope();
                Improve(distance, ref field, ref best, Propagated(field, dy, dx, limits), step);
            }
            foreach (int radius in settings.RandomSearchRadii(targetSide))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var step = NewDisposeScope();
                var low = (field - radius).clamp_min(0);
                var span = minimum(field + radius, limits) - low + 1;
                var candidate = low + (rand(field.shape, generator: generator, device: field.device) * span).floor().to(ScalarType.Int64);
                Improve(distance, ref field, ref best, minimum(candidate, limits), step);
            }
        }
        var result = new PatchMatchResult(new Nnf(field, distance.TargetHeight, distance.TargetWidth), best);
        field.MoveToOuterDisposeScope();
        best.MoveToOuterDisposeScope();
        return result;
    }

    /// <summary>
    /// The neighbour n = p + (dy, dx)'s match moved back by the same step, φ(n) − (dy, dx); where n or the
    /// moved match falls outside its grid, the current match (which cannot win).
    /// </summary>
    static Tensor Propagated(Tensor field, int dy, int dx, Tensor limits)
    {
        long h = field.shape[0], w = field.shape[1];
        var neighbour = roll(field, [-dy, -dx], [0, 1]);   // neighbour[p] = field[p + δ] (wrapping, masked below)
        var candidate = neighbour - tensor(new long[] { dy, dx }, device: field.device);
        var (ys, xs) = Nnf.Grid((int)h, (int)w, field.device);
        var inside = (ys + dy).ge(0) & (ys + dy).lt(h) & (xs + dx).ge(0) & (xs + dx).lt(w)
                     & candidate.ge(0).all(-1) & candidate.le(limits).all(-1);
        return where(inside.unsqueeze(-1), candidate, field);
    }

    /// <summary>Keeps the candidate wherever it is strictly closer; the replaced tensors are freed, the new ones outlive <paramref name="step"/>.</summary>
    static void Improve(PatchDistance distance, ref Tensor field, ref Tensor best, Tensor candidate, DisposeScope step)
    {
        var d = distance.Evaluate(candidate, field, best);
        var better = d.lt(best);
        var newField = where(better.unsqueeze(-1), candidate, field);
        var newBest = where(better, d, best);
        step.MoveToOuter(newField, newBest);
        field.Dispose();
        best.Dispose();
        (field, best) = (newField, newBest);
    }
}
