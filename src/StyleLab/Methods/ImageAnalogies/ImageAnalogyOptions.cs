namespace StyleLab.Methods.ImageAnalogies;

/// <summary>
/// Settings of <see cref="ImageAnalogy"/> (Hertzmann et al. 2001). κ is per application in the paper:
/// small (0.5–5) for artistic filters, larger for texture-by-numbers, where coherence matters more than the
/// closest neighbourhood; 2 is the default here.
/// </summary>
public sealed record ImageAnalogyOptions
{
    /// <summary>κ of the coherence rule: choose p_coh if d_coh ≤ d_app·(1 + 2^(ℓ − L)·κ).</summary>
    public float Kappa { get; init; } = 2f;

    /// <summary>Pyramid levels; null chooses as many as keep the coarsest level's shorter side ≥ <see cref="CoarsestSide"/>.</summary>
    public int? Levels { get; init; }

    /// <summary>The shorter side the automatic pyramid stops at.</summary>
    public int CoarsestSide { get; init; } = 24;

    /// <summary>
    /// Synthesis passes over each level (see <see cref="ImageAnalogy"/>): the paper's single scan-line pass is
    /// replaced by parallel passes, each reading B′ as the previous pass left it.
    /// </summary>
    public int PassesPerLevel { get; init; } = 3;

    /// <summary>PatchMatch iterations per pass (the approximate nearest-neighbour search that stands in for the paper's ANN/TSVQ).</summary>
    public int PatchMatchIterations { get; init; } = 4;

    /// <summary>Remap A's and A′'s luminance to B's mean and standard deviation before matching (luminance remapping).</summary>
    public bool RemapLuminance { get; init; } = true;

    /// <summary>Where B′'s colour comes from.</summary>
    public AnalogyColor Color { get; init; } = AnalogyColor.ChrominanceOfB;

    /// <summary>Seed of PatchMatch's random initialisation and search: the same seed and inputs give the same B′.</summary>
    public long Seed { get; init; }

    internal void Validate()
    {
        if (Kappa < 0) throw new ArgumentException($"κ must not be negative; got {Kappa}.");
        if (Levels is < 1) throw new ArgumentException($"Levels must be at least 1; got {Levels}.");
        if (CoarsestSide < 8) throw new ArgumentException($"CoarsestSide must be at least 8 pixels; got {CoarsestSide}.");
        if (PassesPerLevel < 1) throw new ArgumentException($"PassesPerLevel must be at least 1; got {PassesPerLevel}.");
        if (PatchMatchIterations < 1) throw new ArgumentException($"PatchMatchIterations must be at least 1; got {PatchMatchIterations}.");
    }
}
