using StyleLab.Methods.SANet;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Interactive;

/// <summary>
/// Hover a point of the content image and see where SANet looks in the style image: the attention
/// distribution of that content position over the style positions, as a heat map, at each SANet level,
/// with the most attended style cells marked. Self-contained HTML (works in exported notebooks).
/// </summary>
public static class AttentionExplorer
{
    /// <summary>Computes the attention of <paramref name="model"/> for the pair and builds the explorer.</summary>
    public static HtmlExplorer Create(SANetModel model, Tensor content, Tensor style, int contentGrid = 14, int styleGrid = 24, int displaySize = 320)
    {
        using var attention = model.Attention(content, style);
        return Create(attention, content, style, contentGrid, styleGrid, displaySize);
    }

    /// <summary>
    /// The explorer for computed attention. To keep the page small, the content positions are averaged
    /// into at most <paramref name="contentGrid"/> cells along the longer side (the mean attention of the
    /// cell's positions), the style positions into at most <paramref name="styleGrid"/>, and each row is
    /// stored as 8-bit fractions of its maximum (with the maximum in float32).
    /// </summary>
    public static HtmlExplorer Create(SANetAttention attention, Tensor content, Tensor style, int contentGrid = 14, int styleGrid = 24, int displaySize = 320)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contentGrid, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(styleGrid, 1);
        using var scope = NewDisposeScope();
        var levels = attention.Levels.Select(map => Level(map, contentGrid, styleGrid)).ToList();
        var data = new Dictionary<string, object?>
        {
            ["levels"] = levels,
            ["colors"] = PackedArray.UInt8(ColorMap.Magma.Table.SelectMany(c => new[] { c.R, c.G, c.B }).ToArray(), 256, 3),
        };
        string buttons = string.Join("", attention.Levels.Select((m, i) =>
            $"<label style=\"margin-right:12px\"><input type=\"radio\" name=\"level\" data-level=\"{i}\"{(i == 0 ? " checked" : "")}> {m.Layer} " +
            $"({m.ContentColumns}×{m.ContentRows} → {m.StyleColumns}×{m.StyleRows})</label>"));
        string markup =
            $"<div data-part=\"levels\" style=\"font:12px sans-serif;margin-bottom:6px\">level: {buttons}</div>" +
            "<div style=\"display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start\">" +
            Panel("content", content, displaySize, "content — hover a point", heat: false) +
            Panel("style", style, displaySize, "style — where that point attends", heat: true) +
            "</div>" +
            "<div data-part=\"readout\" style=\"font:12px monospace;margin-top:4px;min-height:1.3em\"></div>" +
            ColorBar.Horizontal(ColorMap.Magma, "0", "row maximum", 240);
        return new HtmlExplorer("attention", markup, HtmlExplorer.ReadScript("attention-explorer.js"), data)
        {
            Title = $"SANet attention ({attention.Shallow.Layer} and {attention.Deep.Layer}): hover the content",
        };
    }

    static Dictionary<string, object> Level(AttentionMap map, int contentGrid, int styleGrid)
    {
        var (cRows, cCols) = Shrink(map.ContentRows, map.ContentColumns, contentGrid);
        var (sRows, sCols) = Shrink(map.StyleRows, map.StyleColumns, styleGrid);
        // [Pc, Ps] → style positions pooled into cells (mean × positions per cell = mass) → content cells averaged: [cRows·cCols, sRows·sCols].
        var w = map.Weights.to(ScalarType.Float32).reshape(-1, 1, map.StyleRows, map.StyleColumns);
        var styleMass = F.adaptive_avg_pool2d(w, [sRows, sCols]).reshape(map.ContentRows, map.ContentColumns, -1).permute(2, 0, 1);
        double perCell = (double)map.StyleRows * map.StyleColumns / (sRows * sCols);
        var rows = F.adaptive_avg_pool2d(styleMass.unsqueeze(0), [cRows, cCols])[0].flatten(1).t().contiguous() * perCell;   // [Gc, Gs], mass per cell
        var max = rows.amax([1], keepdim: true).clamp_min(1e-12);
        var levels = (rows / max * 255).round().clamp(0, 255).to(ScalarType.Byte).contiguous();
        return new Dictionary<string, object>
        {
            ["layer"] = map.Layer,
            ["content"] = new Dictionary<string, int> { ["cols"] = cCols, ["rows"] = cRows },
            ["style"] = new Dictionary<string, int> { ["cols"] = sCols, ["rows"] = sRows },
            ["rows"] = PackedArray.UInt8(levels.data<byte>().ToArray(), cRows * cCols, sRows * sCols),
            ["max"] = PackedArray.Float32(max.flatten().data<float>().ToArray(), cRows * cCols),
            ["stylePositionsPerCell"] = perCell,
        };
    }

    static (int Rows, int Cols) Shrink(int rows, int cols, int grid)
    {
        double shrink = Math.Min(1.0, (double)grid / Math.Max(rows, cols));
        return (Math.Max(1, (int)Math.Round(rows * shrink)), Math.Max(1, (int)Math.Round(cols * shrink)));
    }

    static string Panel(string part, Tensor image, int displaySize, string caption, bool heat) =>
        "<figure style=\"margin:0\">" +
        $"<div data-part=\"{part}-frame\" style=\"position:relative;display:inline-block;line-height:0;cursor:crosshair\">" +
        InlineImage.Html(image, maxSide: Math.Min(2 * displaySize, InlineImage.DefaultMaxSide), alt: part, displaySide: displaySize) +
        (heat ? $"<canvas data-part=\"{part}-heat\" style=\"position:absolute;left:0;top:0;width:100%;height:100%;opacity:0.9;pointer-events:none;image-rendering:pixelated\"></canvas>" : "") +
        (heat
            ? string.Join("", Enumerable.Range(0, 3).Select(k => $"<div data-part=\"top{k}\" style=\"position:absolute;display:none;border:2px solid {(k == 0 ? "#0f0" : "#0c8")};pointer-events:none;box-sizing:border-box\"></div>"))
            : $"<div data-part=\"{part}-marker\" style=\"position:absolute;display:none;border:2px solid #fff;box-shadow:0 0 0 1px #000;pointer-events:none;box-sizing:border-box\"></div>") +
        "</div>" +
        $"<figcaption style=\"font:12px sans-serif\">{caption}</figcaption></figure>";
}
