namespace StyleLab.Methods;

/// <summary>
/// The run-time controls of <see cref="StyleControls"/> that a method's paper defines; an
/// <see cref="IStyleTransfer"/> rejects the others with an error that names the method.
/// </summary>
[Flags]
public enum StyleControl
{
    /// <summary>None beyond the output size, which every method honours.</summary>
    None = 0,
    /// <summary>The content–style trade-off α ∈ [0,1] (1 = full style).</summary>
    Alpha = 1,
    /// <summary>Several styles mixed by interpolation weights.</summary>
    Interpolation = 2,
    /// <summary>Spatial control: one mask per style.</summary>
    Masks = 4,
    /// <summary>Keep the content's colours.</summary>
    PreserveColor = 8,
}
