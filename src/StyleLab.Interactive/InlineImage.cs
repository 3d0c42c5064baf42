using System.Net;
using StyleLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// Image tensors as self-contained HTML: a PNG in a <c>data:</c> URI, so a notebook shows it
/// without files or network and an exported notebook keeps it. Large images are downscaled for
/// display only, keeping notebooks small.
/// </summary>
public static class InlineImage
{
    /// <summary>The longest side, in pixels, an inline image is stored at unless told otherwise.</summary>
    public const int DefaultMaxSide = 768;

    /// <summary>
    /// Whether <paramref name="tensor"/> looks like StyleLab images: floating point,
    /// [3,H,W] or [N,3,H,W] with N ≥ 1 and non-empty sides.
    /// </summary>
    public static bool IsImage(Tensor tensor) =>
        tensor.is_floating_point()
        && (tensor.dim() == 3 && tensor.shape[0] == 3 || tensor.dim() == 4 && tensor.shape[1] == 3 && tensor.shape[0] > 0)
        && tensor.shape[^1] > 0 && tensor.shape[^2] > 0;

    /// <summary>
    /// One image ([3,H,W] or [1,3,H,W], values in [0,1], any device) as a
    /// <c>data:image/png;base64,…</c> URI, downscaled so its longest side is at most
    /// <paramref name="maxSide"/>.
    /// </summary>
    public static string DataUri(Tensor image, int maxSide = DefaultMaxSide) =>
        "data:image/png;base64," + Convert.ToBase64String(Png(image, maxSide));

    /// <summary>The PNG bytes <see cref="DataUri"/> embeds.</summary>
    public static byte[] Png(Tensor image, int maxSide = DefaultMaxSide)
    {
        using var scope = NewDisposeScope();
        return ImageIO.EncodePng(ForDisplay(image, maxSide));
    }

    /// <summary>
    /// An <c>&lt;img&gt;</c> element for one image. With <paramref name="displaySide"/> the
    /// browser scales it so its longest side is that many CSS pixels (nearest-neighbour when
    /// enlarging, so small feature maps stay crisp).
    /// </summary>
    public static string Html(Tensor image, int maxSide = DefaultMaxSide, string? alt = null, int? displaySide = null)
    {
        var (height, width) = (image.shape[^2], image.shape[^1]);
        string size = "";
        string style = "max-width:100%;height:auto";
        if (displaySide is int side)
        {
            double scale = (double)side / Math.Max(width, height);
            size = $" width=\"{Math.Max(1, (int)Math.Round(width * scale))}\" height=\"{Math.Max(1, (int)Math.Round(height * scale))}\"";
            if (scale > 1) style += ";image-rendering:pixelated";
        }
        return $"<img src=\"{DataUri(image, maxSide)}\" alt=\"{WebUtility.HtmlEncode(alt ?? Describe(image))}\"{size} style=\"{style}\">";
    }

    /// <summary>Every image of a batch ([N,3,H,W] or [3,H,W]) side by side, each captioned with its index when N &gt; 1.</summary>
    public static string BatchHtml(Tensor images, int maxSide = DefaultMaxSide)
    {
        if (images.dim() == 3 || images.shape[0] == 1) return Html(images, maxSide);
        // Several images share the width a single one would get.
        int each = Math.Max(64, maxSide / (int)Math.Min(images.shape[0], 4));
        var cells = Enumerable.Range(0, (int)images.shape[0]).Select(i =>
        {
            using var one = images[i];
            return $"<figure style=\"margin:0\">{Html(one, each)}<figcaption style=\"text-align:center;font:12px sans-serif\">[{i}]</figcaption></figure>";
        });
        return $"<div style=\"display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start\">{string.Concat(cells)}</div>";
    }

    /// <summary>"[1,3,256,384] image" style description, for alt text.</summary>
    static string Describe(Tensor image) => $"image [{string.Join(",", image.shape)}]";

    /// <summary>
    /// A detached CPU float [1,3,h,w] copy in [0,1], downscaled so the longest side is at most
    /// <paramref name="maxSide"/>. Disposed with the caller's scope.
    /// </summary>
    internal static Tensor ForDisplay(Tensor image, int maxSide)
    {
        if (!IsImage(image) || image.dim() == 4 && image.shape[0] != 1)
            throw new ArgumentException(
                $"Expected one RGB image [3,H,W] or [1,3,H,W] with float values in [0,1]; got {image.dtype} [{string.Join(",", image.shape)}].",
                nameof(image));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 1);
        var x = image.detach().to(ScalarType.Float32).cpu();
        if (x.dim() == 3) x = x.unsqueeze(0);
        // NaNs (a diverged optimisation) would make the PNG encoder's rounding undefined; show them black.
        x = x.nan_to_num(0, 1, 0).clamp(0, 1);
        if (Math.Max(x.shape[2], x.shape[3]) > maxSide) x = Resampling.Resize(x, Resize.LongestSide(maxSide));
        return x;
    }
}
