using StyleLab.Methods.DeepAnalogy;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// Hover a pixel of A′ and see where it came from in B′ (φ_{a→b}), hover B′ and see where its match
/// lies in A′ (φ_{b→a}) — the dense correspondences Deep Image Analogy (Liao et al. 2017) is about.
/// Both images carry the fields' colour codes on demand, and the readout gives the round-trip error
/// ‖φ_{b→a}(φ_{a→b}(p)) − p‖ at the hovered pixel.
/// </summary>
public static class CorrespondenceExplorer
{
    /// <summary>The explorer for a finished run: A′ next to B′, with the pixel-level fields.</summary>
    public static HtmlExplorer Create(DeepAnalogyResult result, Tensor bPrime, int grid = 112, int displaySize = 320) =>
        Create(result.APrime, bPrime, result.AToB, result.BToA, "A′", "B′", grid, displaySize);

    /// <summary>
    /// The explorer for any pair of fields between <paramref name="left"/> and <paramref name="right"/>
    /// ([1,3,H,W] images on the fields' grids). Fields are sampled on at most <paramref name="grid"/>
    /// cells along the longer side to keep the page small.
    /// </summary>
    public static HtmlExplorer Create(Tensor left, Tensor right, Nnf leftToRight, Nnf rightToLeft,
        string leftName = "A′", string rightName = "B′", int grid = 112, int displaySize = 320)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grid, 1);
        if (left.shape[2] != leftToRight.Height || left.shape[3] != leftToRight.Width ||
            right.shape[2] != rightToLeft.Height || right.shape[3] != rightToLeft.Width)
            throw new ArgumentException($"The images [{string.Join(",", left.shape)}] and [{string.Join(",", right.shape)}] " +
                $"do not sit on the fields' grids ({leftToRight}, {rightToLeft}).");
        using var scope = NewDisposeScope();
        var data = new Dictionary<string, object?>
        {
            ["left"] = Field(leftToRight, grid),
            ["right"] = Field(rightToLeft, grid),
            ["names"] = new[] { leftName, rightName },
        };
        string markup =
            "<div style=\"display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start\">" +
            Panel("left", left, NnfColorMap.Coordinates(leftToRight), displaySize, $"{leftName} — hover: its source in {rightName}") +
            Panel("right", right, NnfColorMap.Coordinates(rightToLeft), displaySize, $"{rightName} — hover: its match in {leftName}") +
            "</div>" +
            "<label style=\"font:12px sans-serif\"><input type=\"checkbox\" data-part=\"show-fields\"> colour-code the fields (colour = matched position)</label>" +
            "<div data-part=\"readout\" style=\"font:12px monospace;margin-top:4px;min-height:1.3em\"></div>";
        return new HtmlExplorer("correspondence", markup, HtmlExplorer.ReadScript("correspondence-explorer.js"), data)
        {
            Title = $"Correspondences {leftName} ⇄ {rightName} ({leftToRight.Width}×{leftToRight.Height} ⇄ {rightToLeft.Width}×{rightToLeft.Height} px)",
        };
    }

    /// <summary>The field sampled on a cols×rows grid: for each cell, the matched pixel (x, y) in the other image.</summary>
    static Dictionary<string, object> Field(Nnf field, int grid)
    {
        double shrink = Math.Min(1.0, (double)grid / Math.Max(field.Height, field.Width));
        int rows = Math.Max(1, (int)Math.Round(field.Height * shrink)), cols = Math.Max(1, (int)Math.Round(field.Width * shrink));
        var ys = linspace(0, field.Height - 1, rows).round().to(ScalarType.Int64).to(field.Coordinates.device);
        var xs = linspace(0, field.Width - 1, cols).round().to(ScalarType.Int64).to(field.Coordinates.device);
        var sampled = field.Coordinates.index_select(0, ys).index_select(1, xs).flip(-1);   // (x, y) per cell
        return new Dictionary<string, object>
        {
            ["cols"] = cols,
            ["rows"] = rows,
            ["width"] = field.Width,
            ["height"] = field.Height,
            ["targetWidth"] = field.TargetWidth,
            ["targetHeight"] = field.TargetHeight,
            ["match"] = PackedArray.Float32(sampled.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray(), rows, cols, 2),
        };
    }

    static string Panel(string part, Tensor image, Tensor fieldColours, int displaySize, string caption) =>
        "<figure style=\"margin:0\">" +
        $"<div data-part=\"{part}-frame\" style=\"position:relative;display:inline-block;line-height:0;cursor:crosshair\">" +
        InlineImage.Html(image, maxSide: Math.Min(2 * displaySize, InlineImage.DefaultMaxSide), alt: part, displaySide: displaySize) +
        $"<img data-part=\"{part}-field\" src=\"{InlineImage.DataUri(fieldColours)}\" alt=\"{part} field\" " +
        "style=\"position:absolute;left:0;top:0;width:100%;height:100%;display:none;pointer-events:none\">" +
        $"<div data-part=\"{part}-marker\" style=\"position:absolute;display:none;width:9px;height:9px;margin:-5px 0 0 -5px;border:2px solid #fff;border-radius:50%;box-shadow:0 0 0 1px #000;pointer-events:none\"></div>" +
        "</div>" +
        $"<figcaption style=\"font:12px sans-serif\">{caption}</figcaption></figure>";
}
