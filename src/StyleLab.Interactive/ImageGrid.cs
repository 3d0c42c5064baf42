using System.Net;
using System.Text;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// Captioned images in a grid: content, style and result side by side, or one result per
/// style weight. The grid refers to the caller's tensors and does not dispose them; it
/// encodes them when it is displayed.
/// </summary>
/// <param name="Cells">The images, row by row.</param>
public sealed record ImageGrid(IReadOnlyList<ImageGrid.Cell> Cells)
{
    /// <summary>One captioned image ([3,H,W] or [1,3,H,W] in [0,1]).</summary>
    public sealed record Cell(string Caption, Tensor Image);

    /// <summary>Images per row; by default all of them, up to four.</summary>
    public int Columns { get; init; } = Math.Clamp(Cells.Count, 1, 4);

    /// <summary>The longest side, in CSS pixels, each image is shown at.</summary>
    public int CellSize { get; init; } = 256;

    /// <summary>An optional heading above the grid.</summary>
    public string? Title { get; init; }

    /// <summary>A grid of captioned images: <c>ImageGrid.Of(("content", c), ("style", s), ("result", r))</c>.</summary>
    public static ImageGrid Of(params (string Caption, Tensor Image)[] images) =>
        new(images.Select(i => new Cell(i.Caption, i.Image)).ToList());

    /// <summary>The grid as self-contained HTML.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder("<div class=\"stylelab-grid\">");
        if (Title is not null)
            html.Append($"<div style=\"font:600 14px sans-serif;margin:4px 0\">{WebUtility.HtmlEncode(Title)}</div>");
        html.Append($"<div style=\"display:grid;grid-template-columns:repeat({Math.Max(1, Columns)},max-content);gap:10px;align-items:end\">");
        foreach (var cell in Cells)
        {
            // Stored at twice the shown size at most, so high-density screens stay sharp without bloating the notebook.
            html.Append("<figure style=\"margin:0\">")
                .Append(InlineImage.Html(cell.Image, maxSide: Math.Min(2 * CellSize, InlineImage.DefaultMaxSide), alt: cell.Caption, displaySide: CellSize))
                .Append($"<figcaption style=\"text-align:center;font:13px sans-serif;margin-top:2px\">{WebUtility.HtmlEncode(cell.Caption)}</figcaption>")
                .Append("</figure>");
        }
        return html.Append("</div></div>").ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => $"ImageGrid: {string.Join(" | ", Cells.Select(c => c.Caption))}";
}
