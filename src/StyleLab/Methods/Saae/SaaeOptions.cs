namespace StyleLab.Methods.Saae;

/// <summary>
/// The sizes of the SAAE networks (Zhao et al. 2018). The paper gives the layer counts, not the widths;
/// these are small enough to train on two CPU cores in minutes.
/// </summary>
/// <param name="ImageSize">Side of a glyph (content, target, output), in pixels; the style exemplar is
/// <c>ImageSize × 2·ImageSize</c> (a word is wider than tall). A multiple of 8.</param>
/// <param name="Channels">Channels of the content map; the style map has as many (half content, half style).</param>
/// <param name="LeakySlope">Negative slope of the LeakyReLUs.</param>
public sealed record SaaeOptions(int ImageSize = 32, int Channels = 16, double LeakySlope = 0.2)
{
    /// <summary>The style map before it is up-sampled is <c>ImageSize / 8</c> on a side.</summary>
    public int StyleGrid => ImageSize / 8;

    /// <summary>Length of the style vector z_s: one style map of <see cref="Channels"/> × <see cref="StyleGrid"/>².</summary>
    public int StyleDimension => Channels * StyleGrid * StyleGrid;

    /// <summary>Throws when a size cannot be built.</summary>
    public SaaeOptions Validated()
    {
        if (ImageSize < 16 || ImageSize % 8 != 0)
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, "The SAAE image size must be a multiple of 8, at least 16.");
        if (Channels < 4)
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "The SAAE networks need at least 4 channels.");
        return this;
    }
}
