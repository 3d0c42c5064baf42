namespace StyleLab.Methods.SANet;

/// <summary>Run-time controls of a trained SANet (nothing here needs retraining).</summary>
/// <param name="Alpha">Content–style trade-off: <c>F = α F_csc + (1−α) F_ccc</c>, F_ccc the transform of the content with itself; 1 = full style.</param>
/// <param name="Levels">Which SANet levels feed the merge (an ablation; the model was trained with both).</param>
public sealed record SANetOptions(double Alpha = 1.0, SANetLevels Levels = SANetLevels.Both)
{
    /// <summary>Full style, both levels.</summary>
    public static SANetOptions Default { get; } = new();

    internal void Validate()
    {
        if (!(Alpha >= 0 && Alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "α must lie in [0, 1].");
    }
}
