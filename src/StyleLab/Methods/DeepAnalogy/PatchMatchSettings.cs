namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// One PatchMatch run (Barnes et al. 2009, as used by Liao et al. 2017, §4.3). Defaults are the
/// official implementation's (msracver/Deep-Image-Analogy): 10 iterations, each propagating with
/// jumps 8, 4, 2, 1 in the four directions, then a random search whose window halves from
/// <see cref="SearchRadius"/> down to 1.
/// </summary>
/// <param name="PatchSize">Patch side K (odd): 3 at relu5_1…relu3_1, 5 at relu2_1 and relu1_1 in the paper.</param>
/// <param name="SearchRadius">First random-search radius in target pixels; null searches the whole target (the coarsest level).</param>
/// <param name="Iterations">Propagation + random-search rounds.</param>
/// <param name="Jumps">Propagation distances tried each round, largest first (jump flooding: a good match spreads 15 pixels per round instead of 1).</param>
public sealed record PatchMatchSettings(int PatchSize = 3, int? SearchRadius = null, int Iterations = 10, IReadOnlyList<int>? Jumps = null)
{
    /// <summary>The official jump sequence.</summary>
    public static IReadOnlyList<int> DefaultJumps { get; } = [8, 4, 2, 1];

    /// <summary><see cref="Jumps"/>, or <see cref="DefaultJumps"/> when unset.</summary>
    public IReadOnlyList<int> PropagationJumps => Jumps ?? DefaultJumps;

    /// <summary>Candidate fields evaluated per iteration for a target whose longer side is <paramref name="targetSide"/>.</summary>
    public int CandidatesPerIteration(int targetSide) => 4 * PropagationJumps.Count + RandomSearchRadii(targetSide).Count();

    /// <summary>The random-search radii r, r/2, …, 1 (r capped at the target's longer side).</summary>
    public IEnumerable<int> RandomSearchRadii(int targetSide)
    {
        for (int radius = Math.Min(SearchRadius ?? targetSide, targetSide); radius >= 1; radius /= 2) yield return radius;
    }
}
