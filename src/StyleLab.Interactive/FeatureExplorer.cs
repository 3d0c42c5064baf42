using System.Globalization;
using StyleLab.Encoders;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Interactive;

/// <summary>
/// Hover a position of the content image and see, as a heat map over the style image, how similar
/// (cosine of the feature vectors at one VGG layer) every style position is to it. This is the
/// question behind every matching-based method: what in the style "looks like" this part of the
/// content to the network (Gatys' Gram matrices ignore where; patch, attention and analogy methods
/// act on exactly this map).
/// </summary>
public static class FeatureExplorer
{
    /// <summary>
    /// Builds the explorer. Features are average-pooled so the longer side has at most
    /// <paramref name="grid"/> positions (the payload grows with positions × channels), then
    /// normalised per position, so the page computes cosine similarities with dot products.
    /// </summary>
    /// <param name="encoder">The network whose features are compared.</param>
    /// <param name="content">Content image [1,3,H,W] in [0,1].</param>
    /// <param name="style">Style image [1,3,H,W] in [0,1].</param>
    /// <param name="layer">The layer, e.g. <c>relu3_1</c>.</param>
    /// <param name="grid">Positions along the longer side of each image.</param>
    /// <param name="displaySize">The longest side, in CSS pixels, each image is shown at.</param>
    public static HtmlExplorer Create(Vgg19Encoder encoder, Tensor content, Tensor style, string layer = "relu3_1",
        int grid = 32, int displaySize = 320)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grid, 1);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var contentGrid = UnitFeatures(encoder, content, layer, grid);
        var styleGrid = UnitFeatures(encoder, style, layer, grid);
        long channels = contentGrid.Features.shape[1];

        var data = new Dictionary<string, object?>
        {
            ["layer"] = layer,
            ["channels"] = channels,
            ["content"] = Positions(contentGrid),
            ["style"] = Positions(styleGrid),
            ["colors"] = PackedArray.UInt8(ColorMap.Magma.Table.SelectMany(c => new[] { c.R, c.G, c.B }).ToArray(), 256, 3),
        };
        string markup =
            "<div style=\"display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start\">" +
            Panel("content", content, displaySize, "content — hover a position") +
            Panel("style", style, displaySize, "style — cosine similarity to it") +
            "</div>" +
            $"<div data-part=\"readout\" style=\"font:12px monospace;margin-top:4px;min-height:1.3em\"></div>" +
            ColorBar.Horizontal(ColorMap.Magma, "least similar", "most similar", 240);
        return new HtmlExplorer("feature-similarity", markup, HtmlExplorer.ReadScript("feature-explorer.js"), data)
        {
            Title = $"Feature similarity at {layer} ({channels} channels; content {contentGrid.Columns}×{contentGrid.Rows}, " +
                    $"style {styleGrid.Columns}×{styleGrid.Rows} positions)",
        };
    }

    /// <summary>Unit-length feature vectors on a grid: [rows·cols, C], one row per position.</summary>
    sealed record FeatureGrid(Tensor Features, int Columns, int Rows);

    static FeatureGrid UnitFeatures(Vgg19Encoder encoder, Tensor image, string layer, int grid)
    {
        if (image.dim() != 4 || image.shape[0] != 1)
            throw new ArgumentException($"Expected one image [1,3,H,W]; got [{string.Join(",", image.shape)}].", nameof(image));
        using var outputs = encoder.Encode(image, [layer]);
        var features = outputs[layer];
        var (h, w) = (features.shape[2], features.shape[3]);
        double shrink = Math.Min(1.0, (double)grid / Math.Max(h, w));
        var (rows, cols) = (Math.Max(1, (int)Math.Round(h * shrink)), Math.Max(1, (int)Math.Round(w * shrink)));
        var pooled = rows == h && cols == w ? features : F.adaptive_avg_pool2d(features, [rows, cols]);
        var perPosition = pooled[0].flatten(1).t();                                   // [P, C]
        var unit = F.normalize(perPosition.to(ScalarType.Float32).cpu(), p: 2, dim: 1);
        return new FeatureGrid(unit.contiguous(), cols, rows);
    }

    static Dictionary<string, object> Positions(FeatureGrid grid) => new()
    {
        ["cols"] = grid.Columns,
        ["rows"] = grid.Rows,
        // Components of unit vectors lie in [−1, 1]; 8 bits keep cosines to about ±0.01.
        ["features"] = PackedArray.Int8(grid.Features.data<float>().ToArray(), 1f, grid.Features.shape),
    };

    static string Panel(string part, Tensor image, int displaySize, string caption) =>
        "<figure style=\"margin:0\">" +
        $"<div data-part=\"{part}-frame\" style=\"position:relative;display:inline-block;line-height:0\">" +
        InlineImage.Html(image, maxSide: Math.Min(2 * displaySize, InlineImage.DefaultMaxSide), alt: part, displaySide: displaySize) +
        $"<canvas data-part=\"{part}-heat\" style=\"position:absolute;left:0;top:0;width:100%;height:100%;opacity:0.75;pointer-events:none\"></canvas>" +
        $"<div data-part=\"{part}-marker\" style=\"position:absolute;display:none;border:2px solid #fff;box-shadow:0 0 0 1px #000;pointer-events:none\"></div>" +
        "</div>" +
        $"<figcaption style=\"font:12px sans-serif\">{caption}</figcaption></figure>";
}
