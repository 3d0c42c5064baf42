using StyleLab.Methods;

namespace StyleLab.Batch;

/// <summary>
/// One line of a batch manifest: stylise <see cref="Content"/> with <see cref="Styles"/> by <see cref="Method"/>
/// and write <see cref="Output"/>. The output path (relative to the run's output folder, '/'-separated) is the
/// item's identity: it decides the item's shard (<see cref="Shard.Of"/>) and names it in logs and status.
/// </summary>
/// <param name="Content">The photo (absolute, or resolved against the manifest's folder when read).</param>
/// <param name="Styles">Style images; for a method whose style is in its weights (<c>fast</c>), one network name or folder.</param>
/// <param name="Method">One of <see cref="StyleTransferFactory.Methods"/>.</param>
/// <param name="Output">Relative path of the result under the output folder (.png, .jpg or .webp).</param>
public sealed record BatchItem(string Content, IReadOnlyList<string> Styles, string Method, string Output)
{
    /// <summary>Content–style trade-off α ∈ [0,1].</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>Interpolation weights, one per style; null: equal weights.</summary>
    public IReadOnlyList<double>? Mix { get; init; }

    /// <summary>Keep the photo's colours.</summary>
    public bool PreserveColor { get; init; }

    /// <summary>Longest side of photo and styles in pixels; null: each image's own size.</summary>
    public int? Size { get; init; }

    /// <summary>The run-time controls of the one inference interface (the size is applied when the images load).</summary>
    public StyleControls Controls => new() { Alpha = Alpha, StyleWeights = Mix, PreserveColor = PreserveColor };
}
