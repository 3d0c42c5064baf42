namespace StyleLab.Interactive;

/// <summary>
/// Ready-made HTML for a notebook output, with a short plain-text stand-in for frontends that
/// cannot show HTML. Live views send these as their updates.
/// </summary>
/// <param name="Html">The markup, self-contained (no external resources).</param>
/// <param name="PlainText">What a text-only frontend shows instead.</param>
public sealed record HtmlFragment(string Html, string PlainText)
{
    /// <inheritdoc/>
    public override string ToString() => PlainText;
}
