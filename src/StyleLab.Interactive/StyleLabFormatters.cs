using StyleLab.Losses;
using Microsoft.DotNet.Interactive.Formatting;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// Teaches Microsoft.DotNet.Interactive.Formatting how StyleLab's values look in a notebook.
/// StyleLab's kernel calls <see cref="Register"/> at startup; in a legacy .NET Interactive
/// notebook, call it once after referencing StyleLab.Interactive.
/// </summary>
public static class StyleLabFormatters
{
    static readonly object Gate = new();

    /// <summary>
    /// Registers the HTML and plain-text formatters. Safe to call any number of times; registers
    /// again after <see cref="Formatter.ResetToDefault"/> cleared them.
    /// </summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (IsRegistered) return;
            // Images render as pictures; every other tensor as a one-line summary, never its values.
            Html<Tensor>(t => InlineImage.IsImage(t) ? InlineImage.BatchHtml(t) : TensorSummary.Html(t), TensorSummary.Text);
            Html<ImageGrid>(g => g.ToHtml(), g => g.ToString());
            Html<FeatureMapGrid>(g => g.ToHtml(), g => g.ToString());
            Html<GramHeatmap>(g => g.ToHtml(), g => g.ToString());
            Html<LossChart>(c => c.ToHtml(), c => c.ToString());
            Html<ChannelStatisticsChart>(c => c.ToHtml(), c => c.ToString());
            Html<HtmlExplorer>(e => e.ToHtml(), e => e.ToString());
            Html<StyleCodeMap>(m => m.ToHtml(), m => m.ToString());
            // Registered last: its presence marks the whole set as registered.
            Html<HtmlFragment>(f => f.Html, f => f.PlainText);
        }
    }

    static bool IsRegistered => Formatter.RegisteredFormatters(false)
        .Any(f => f.Type == typeof(HtmlFragment) && f.MimeType == HtmlFormatter.MimeType);

    static void Html<T>(Func<T, string> html, Func<T, string> text)
    {
        Formatter.Register(html, HtmlFormatter.MimeType);
        Formatter.Register(text, PlainTextFormatter.MimeType);
    }
}
