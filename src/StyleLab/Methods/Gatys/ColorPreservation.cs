namespace StyleLab.Methods.Gatys;

/// <summary>
/// Keeping the content's colours (Gatys, Bethge, Hertzmann &amp; Shechtman 2017, "Preserving color in
/// neural artistic style transfer").
/// </summary>
public enum ColorPreservation
{
    /// <summary>The output takes the style's colours.</summary>
    None,
    /// <summary>
    /// Luminance-only transfer: content and style are reduced to luminance (Y of YIQ; the style's
    /// luminance matched to the content's mean and standard deviation), stylised as grey images, and
    /// the result's luminance is combined with the content's chrominance (I, Q).
    /// </summary>
    Luminance,
    /// <summary>
    /// Colour histogram matching: the style image is first recoloured so that its RGB mean and
    /// covariance equal the content's (the paper's linear transform), then stylised normally.
    /// </summary>
    Histogram,
}
