namespace StyleLab.Video;

/// <summary>
/// Settings of <see cref="OpticalFlow"/> (coarse-to-fine Lucas–Kanade). The defaults were measured on the synthetic
/// pans and sprites of <see cref="SyntheticVideo"/> at 128–256 px (see README, Video).
/// </summary>
public sealed record OpticalFlowOptions
{
    /// <summary>The defaults.</summary>
    public static OpticalFlowOptions Default { get; } = new();

    /// <summary>Pyramid levels; the coarsest level keeps at least <see cref="MinimumSide"/> pixels on its shorter side.</summary>
    public int Levels { get; init; } = 5;

    /// <summary>Shortest side of the coarsest pyramid level.</summary>
    public int MinimumSide { get; init; } = 16;

    /// <summary>Warp-and-solve iterations per level.</summary>
    public int Iterations { get; init; } = 3;

    /// <summary>Standard deviation of the Gaussian window over which each pixel's 2×2 system is summed, in pixels.</summary>
    public double WindowSigma { get; init; } = 2;

    /// <summary>
    /// Ridge term λ added to the structure tensor's diagonal: where the image has no texture the update stays near
    /// zero, so the coarser level's estimate fills in (intensities in [0,1]).
    /// </summary>
    public double Regularization { get; init; } = 1e-5;

    /// <summary>
    /// Standard deviation of the confidence-weighted Gaussian that smooths every update and fills
    /// untextured regions from their surroundings, in pixels of that level (0 = off).
    /// </summary>
    public double SmoothingSigma { get; init; } = 4;

    /// <summary>Checks the values; errors name the setting.</summary>
    public void Validate()
    {
        if (Levels < 1) throw new ArgumentOutOfRangeException(nameof(Levels), Levels, "OpticalFlowOptions.Levels must be at least 1.");
        if (MinimumSide < 4) throw new ArgumentOutOfRangeException(nameof(MinimumSide), MinimumSide, "OpticalFlowOptions.MinimumSide must be at least 4.");
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "OpticalFlowOptions.Iterations must be at least 1.");
        if (!(WindowSigma > 0)) throw new ArgumentOutOfRangeException(nameof(WindowSigma), WindowSigma, "OpticalFlowOptions.WindowSigma must be positive.");
        if (!(Regularization > 0) || !double.IsFinite(Regularization)) throw new ArgumentOutOfRangeException(nameof(Regularization), Regularization, "OpticalFlowOptions.Regularization must be positive and finite.");
        if (!(SmoothingSigma >= 0)) throw new ArgumentOutOfRangeException(nameof(SmoothingSigma), SmoothingSigma, "OpticalFlowOptions.SmoothingSigma must be 0 or positive.");
    }
}
