using static TorchSharp.torch;

namespace StyleLab.Methods;

/// <summary>
/// The run-time controls the style-transfer papers share, in one immutable record for every
/// <see cref="IStyleTransfer"/>: change it with <c>with</c>, e.g. <c>StyleControls.Default with { Alpha = 0.5 }</c>.
/// Each method honours what its paper defines (<see cref="IStyleTransfer.Supports"/>) and rejects the rest.
/// </summary>
/// <remarks>
/// The mask convention is one for all methods: <see cref="Masks"/> holds one mask per style, white (&gt; 0.5)
/// where that style goes; a pixel takes the first style whose mask is white there, and a pixel that no mask
/// covers takes the last style (<see cref="StyleRegions"/> turns masks into that label map).
/// </remarks>
public sealed record StyleControls
{
    /// <summary>Full style, equal weights, no masks, the style's colours, the content's size.</summary>
    public static StyleControls Default { get; } = new();

    /// <summary>Content–style trade-off α ∈ [0,1]: 0 keeps the content (as the method defines it), 1 is full style.</summary>
    public double Alpha { get; init; } = 1;

    /// <summary>Interpolation weights, one per style (≥ 0, normalised to sum 1); null: equal weights.</summary>
    public IReadOnlyList<double>? StyleWeights { get; init; }

    /// <summary>
    /// Spatial control: one mask per style, [H,W], [1,H,W] or [1,1,H,W] at any size (resized by nearest
    /// neighbour), white (&gt; 0.5) where that style goes. The caller keeps ownership.
    /// </summary>
    public IReadOnlyList<Tensor>? Masks { get; init; }

    /// <summary>Keep the content's colours.</summary>
    public bool PreserveColor { get; init; }

    /// <summary>Longest side of the output in pixels (the content is resized first); null: the content's size.</summary>
    public int? Size { get; init; }

    /// <summary>The controls set away from <see cref="Default"/>, as flags.</summary>
    public StyleControl Used(int styles) =>
        (Alpha != 1 ? StyleControl.Alpha : 0)
        | (StyleWeights is not null || (styles > 1 && Masks is null) ? StyleControl.Interpolation : 0)
        | (Masks is not null ? StyleControl.Masks : 0)
        | (PreserveColor ? StyleControl.PreserveColor : 0);

    /// <summary>Checks the values against each other and the number of styles; errors say what is wrong.</summary>
    public void Validate(int styles)
    {
        if (!(Alpha >= 0 && Alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "α must lie in [0, 1].");
        if (Size is < 1) throw new ArgumentOutOfRangeException(nameof(Size), Size, "The output size must be at least 1 pixel.");
        if (StyleWeights is not null) Methods.StyleWeights.Normalise(StyleWeights, styles);
        if (Masks is null) return;
        if (StyleWeights is not null)
            throw new ArgumentException("Give interpolation weights or masks, not both: masks give each style its own region.", nameof(Masks));
        if (Masks.Count != styles)
            throw new ArgumentException($"Give one mask per style ({styles} styles, {Masks.Count} masks).", nameof(Masks));
        foreach (var mask in Masks)
            if (mask.dim() is < 2 or > 4 || (mask.dim() >= 3 && mask.shape[^3] != 1) || (mask.dim() == 4 && mask.shape[0] != 1))
                throw new ArgumentException($"A mask is [H,W], [1,H,W] or [1,1,H,W]; got [{string.Join(",", mask.shape)}].", nameof(Masks));
    }
}
