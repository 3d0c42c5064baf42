using StyleLab.Imaging;
using static TorchSharp.torch;

namespace StyleLab.Methods.Gatys;

/// <summary>
/// The two colour-preservation recipes of Gatys, Bethge, Hertzmann &amp; Shechtman (2017), as the
/// steps before and after the optimisation. The colour mathematics is <see cref="ColorTransfer"/>'s.
/// </summary>
internal static class GatysColor
{
    /// <summary>The content and style images the optimisation actually sees.</summary>
    public static (Tensor Content, Tensor Style) Prepare(Tensor content, Tensor style, ColorPreservation mode)
    {
        using var scope = NewDisposeScope();
        var (c, s) = mode switch
        {
            // §2.2: match the style's luminance statistics to the content's, then transfer on luminance only.
            ColorPreservation.Luminance => (Grey(content), Grey(ColorTransfer.MatchLuminance(style, content))),
            // §2.1: recolour the style image with the content's colour mean and covariance.
            ColorPreservation.Histogram => (content.clone(), ColorTransfer.MatchColorStatistics(style, content)),
            _ => (content.clone(), style.clone()),
        };
        return (c.MoveToOuterDisposeScope(), s.MoveToOuterDisposeScope());
    }

    /// <summary>The optimised image as the user should see it: with luminance transfer, the content's chrominance put back.</summary>
    public static Tensor Restore(Tensor image, Tensor content, ColorPreservation mode)
    {
        using var scope = NewDisposeScope();
        var clamped = image.detach().clamp(0, 1);
        var shown = mode == ColorPreservation.Luminance ? ColorTransfer.LuminanceOnly(clamped, content) : clamped;
        return shown.MoveToOuterDisposeScope();
    }

    /// <summary>Luminance Y as a three-channel grey image, so the RGB network can read it.</summary>
    static Tensor Grey(Tensor rgb) =>
        ColorTransfer.RgbToYiq(rgb).narrow(1, 0, 1).clamp(0, 1).expand(-1, 3, -1, -1).contiguous();
}
