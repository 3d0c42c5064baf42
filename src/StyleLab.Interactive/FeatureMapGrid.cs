using System.Globalization;
using System.Net;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// What a layer "sees": its most active channels (highest mean activation) as colour-mapped
/// images, each stretched to its own range so that weak and strong channels are equally
/// readable. Refers to the caller's tensor; does not dispose it.
/// </summary>
/// <param name="Features">Activations [1,C,H,W] or [C,H,W] of one image.</param>
/// <param name="Layer">The layer's name, for the heading (e.g. <c>relu2_1</c>).</param>
public sealed record FeatureMapGrid(Tensor Features, string Layer)
{
    /// <summary>How many channels to show.</summary>
    public int Count { get; init; } = 16;

    /// <summary>Channel images per row.</summary>
    public int Columns { get; init; } = 8;

    /// <summary>The longest side, in CSS pixels, each channel is shown at.</summary>
    public int CellSize { get; init; } = 96;

    /// <summary>The colour scale.</summary>
    public ColorMap Map { get; init; } = ColorMap.Viridis;

    /// <summary>The activations of one layer for one image: <c>FeatureMapGrid.Of(features["relu2_1"], "relu2_1")</c>.</summary>
    public static FeatureMapGrid Of(Tensor features, string layer, int count = 16) => new(features, layer) { Count = count };

    /// <summary>The shown channels, most active first.</summary>
    public IReadOnlyList<(int Channel, double Mean)> Channels
    {
        get
        {
            using var scope = NewDisposeScope();
            var perChannel = Maps().mean([1, 2]);
            var (values, indices) = perChannel.topk(Math.Min(Count, (int)perChannel.shape[0]));
            var means = values.data<float>().ToArray();
            var channels = indices.data<long>().ToArray();
            return channels.Select((c, i) => ((int)c, (double)means[i])).ToList();
        }
    }

    /// <summary>The grid as self-contained HTML.</summary>
    public string ToHtml()
    {
        using var scope = NewDisposeScope();
        var maps = Maps();
        var html = new StringBuilder("<div class=\"stylelab-feature-maps\">");
        html.Append($"<div style=\"font:600 14px sans-serif;margin:4px 0\">{WebUtility.HtmlEncode(Layer)} — " +
                    $"{Math.Min(Count, maps.shape[0])} of {maps.shape[0]} channels with the highest mean activation, {maps.shape[2]}×{maps.shape[1]}</div>");
        html.Append($"<div style=\"display:grid;grid-template-columns:repeat({Math.Max(1, Columns)},max-content);gap:6px\">");
        foreach (var (channel, mean) in Channels)
        {
            var map = maps[channel];
            // Each channel on its own scale: absolute magnitudes differ by orders between channels.
            var (low, high) = (map.min(), map.max());
            var normalised = (map - low) / (high - low).clamp_min(1e-12);
            var colored = Map.Apply(normalised);
            html.Append("<figure style=\"margin:0\">")
                .Append(InlineImage.Html(colored, maxSide: InlineImage.DefaultMaxSide, alt: $"channel {channel}", displaySide: CellSize))
                .Append($"<figcaption style=\"text-align:center;font:11px sans-serif\">#{channel} · mean {mean.ToString("0.##", CultureInfo.InvariantCulture)}</figcaption>")
                .Append("</figure>");
        }
        html.Append("</div>")
            .Append(ColorBar.Horizontal(Map, "channel min", "channel max"))
            .Append("</div>");
        return html.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => $"FeatureMapGrid {Layer} [{string.Join(",", Features.shape)}]";

    /// <summary>The activations as a detached CPU float [C,H,W].</summary>
    Tensor Maps()
    {
        var x = Features.detach();
        if (x.dim() == 4)
        {
            if (x.shape[0] != 1)
                throw new ArgumentException($"FeatureMapGrid shows one image's activations; '{Layer}' has a batch of {x.shape[0]}.", nameof(Features));
            x = x[0];
        }
        if (x.dim() != 3)
            throw new ArgumentException($"Expected activations [1,C,H,W] or [C,H,W] for '{Layer}', got [{string.Join(",", Features.shape)}].", nameof(Features));
        return x.to(ScalarType.Float32).cpu();
    }
}
