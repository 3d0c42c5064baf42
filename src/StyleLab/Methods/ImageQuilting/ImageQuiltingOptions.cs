namespace StyleLab.Methods.ImageQuilting;

/// <summary>
/// Settings of <see cref="Quilting"/> (Efros &amp; Freeman 2001). Where the paper gives a value it is the
/// default: overlap 1/6 of the block (§2.1), ε = 0.1 (§2.1), α_i = 0.8·(i − 1)/(N − 1) + 0.1 over N
/// iterations with the block shrinking by a third each time (§3). The paper chooses the block size per
/// texture ("big enough to capture the relevant structures"); 32 pixels suits the 256-pixel images here.
/// </summary>
public sealed record ImageQuiltingOptions
{
    /// <summary>Block side B in pixels (first iteration of texture transfer).</summary>
    public int BlockSize { get; init; } = 32;

    /// <summary>Overlap between neighbouring blocks; null takes the paper's B/6 (at least 1).</summary>
    public int? Overlap { get; init; }

    /// <summary>ε: a block is a candidate when its error is within (1 + ε) of the best one (§2.1: 0.1).</summary>
    public float Tolerance { get; init; } = 0.1f;

    /// <summary>N, the texture-transfer passes over the whole image (§3; the paper iterates "several times").</summary>
    public int Iterations { get; init; } = 3;

    /// <summary>
    /// A fixed α for every pass instead of the schedule: the weight of the block-overlap term, 1 − α that of the
    /// correspondence term. α = 1 ignores the target (pure synthesis), α = 0 follows only the target.
    /// </summary>
    public float? Alpha { get; init; }

    /// <summary>What the correspondence term compares (§3: luminance or blurred luminance).</summary>
    public CorrespondenceQuantity Correspondence { get; init; } = CorrespondenceQuantity.Luminance;

    /// <summary>σ in pixels of the blur for <see cref="CorrespondenceQuantity.BlurredLuminance"/>.</summary>
    public double CorrespondenceBlurSigma { get; init; } = 2.0;

    /// <summary>Seed of the random choice among the candidates: the same seed and inputs give the same quilt.</summary>
    public long Seed { get; init; }

    /// <summary>The overlap for a block of side <paramref name="blockSize"/>: <see cref="Overlap"/> in the first pass, else B/6.</summary>
    public int OverlapFor(int blockSize) =>
        Math.Clamp(Overlap is { } o && blockSize == BlockSize ? o : blockSize / 6, 1, Math.Max(1, blockSize - 1));

    /// <summary>The block side in pass i (1-based): B·(2/3)^(i−1), at least 3 pixels.</summary>
    public int BlockSizeAt(int iteration) => Math.Max(3, (int)Math.Round(BlockSize * Math.Pow(2.0 / 3.0, iteration - 1)));

    /// <summary>α in pass i of N (1-based): <see cref="Alpha"/> if set, else 0.8·(i − 1)/(N − 1) + 0.1 (0.1 when N = 1).</summary>
    public float AlphaAt(int iteration, int iterations) =>
        Alpha ?? (iterations <= 1 ? 0.1f : 0.8f * (iteration - 1) / (iterations - 1) + 0.1f);

    internal void Validate()
    {
        if (BlockSize < 2) throw new ArgumentException($"BlockSize must be at least 2 pixels; got {BlockSize}.");
        if (Overlap is { } o && (o < 1 || o >= BlockSize))
            throw new ArgumentException($"Overlap must lie in 1 … BlockSize − 1 = {BlockSize - 1}; got {o}.");
        if (Tolerance < 0) throw new ArgumentException($"Tolerance ε must not be negative; got {Tolerance}.");
        if (Iterations < 1) throw new ArgumentException($"Iterations must be at least 1; got {Iterations}.");
        if (Alpha is { } a && (a < 0 || a > 1)) throw new ArgumentException($"α must lie in [0, 1]; got {a}.");
    }
}
