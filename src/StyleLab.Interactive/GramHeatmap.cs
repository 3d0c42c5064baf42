using System.Globalization;
using System.Net;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// A Gram matrix (channel-by-channel feature correlations, Gatys et al. eq. 3) as a colour-mapped
/// image with a colour bar. Refers to the caller's tensor; does not dispose it.
/// </summary>
/// <param name="Gram">The matrix [C,C] or [1,C,C].</param>
public sealed record GramHeatmap(Tensor Gram)
{
    /// <summary>A heading, e.g. the layer and image it belongs to.</summary>
    public string? Title { get; init; }

    /// <summary>Show only these channels (rows and columns), in this order; all when null.</summary>
    public IReadOnlyList<int>? Channels { get; init; }

    /// <summary>The side, in CSS pixels, of the shown matrix.</summary>
    public int Size { get; init; } = 320;

    /// <summary>The colour scale.</summary>
    public ColorMap Map { get; init; } = ColorMap.Magma;

    /// <summary>
    /// Colour by log(1 + G / mean |G|) instead of G: a few large (mostly diagonal) entries otherwise
    /// leave every other entry black. The colour bar still names the matrix's own extremes.
    /// </summary>
    public bool LogScale { get; init; } = true;

    /// <summary>A heat map of <paramref name="gram"/>; with <paramref name="channels"/>, only the first that many channels.</summary>
    public static GramHeatmap Of(Tensor gram, string? title = null, int? channels = null) =>
        new(gram) { Title = title, Channels = channels is int n ? Enumerable.Range(0, n).ToList() : null };

    /// <summary>The heat map as self-contained HTML.</summary>
    public string ToHtml()
    {
        using var scope = NewDisposeScope();
        var matrix = Matrix();
        var (low, high) = (matrix.min().item<float>(), matrix.max().item<float>());
        var shown = LogScale ? (matrix.abs() / matrix.abs().mean().clamp_min(1e-12)).log1p() * matrix.sign() : matrix;
        var (shownLow, shownHigh) = (shown.min().item<float>(), shown.max().item<float>());
        var image = Map.Apply((shown - shownLow) / Math.Max(shownHigh - shownLow, 1e-12f));
        string heading = $"{Title ?? "Gram matrix"} — {matrix.shape[0]}×{matrix.shape[1]}" +
                         (Channels is null ? "" : $" (channels {Describe(Channels)})") + (LogScale ? ", log colour scale" : "");
        return "<div class=\"stylelab-gram\">" +
               $"<div style=\"font:600 14px sans-serif;margin:4px 0\">{WebUtility.HtmlEncode(heading)}</div>" +
               "<div style=\"display:flex;gap:8px;align-items:stretch\">" +
               InlineImage.Html(image, alt: heading, displaySide: Size) +
               ColorBar.Vertical(Map, Number(low), Number(high), Size) +
               "</div></div>";
    }

    /// <inheritdoc/>
    public override string ToString() => $"GramHeatmap {Title} [{string.Join(",", Gram.shape)}]";

    Tensor Matrix()
    {
        var g = Gram.detach();
        if (g.dim() == 3 && g.shape[0] == 1) g = g[0];
        if (g.dim() != 2 || g.shape[0] != g.shape[1])
            throw new ArgumentException($"Expected a Gram matrix [C,C] or [1,C,C], got [{string.Join(",", Gram.shape)}].", nameof(Gram));
        g = g.to(ScalarType.Float32).cpu();
        if (Channels is null) return g;
        foreach (int c in Channels)
            if (c < 0 || c >= g.shape[0])
                throw new ArgumentOutOfRangeException(nameof(Channels), $"Channel {c} does not exist; the Gram matrix has {g.shape[0]} channels.");
        var index = torch.tensor(Channels.Select(c => (long)c).ToArray());
        return g.index_select(0, index).index_select(1, index);
    }

    static string Describe(IReadOnlyList<int> channels) =>
        channels.Select((c, i) => c == i).All(x => x) ? $"0–{channels.Count - 1}" : $"{channels.Count} selected";

    static string Number(float value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
