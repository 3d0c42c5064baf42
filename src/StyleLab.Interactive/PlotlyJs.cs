namespace StyleLab.Interactive;

/// <summary>
/// plotly.js, inlined from the copy Plotly.NET embeds, so charts render with no network access
/// (offline machines, exported notebooks). It is ≈3.6 MB, so a session inlines it once: the
/// first chart's output carries the script and later charts use <c>window.Plotly</c>. An
/// exported notebook keeps that order, so the script still runs before any chart needs it.
/// </summary>
public static class PlotlyJs
{
    /// <summary>The plotly.js version Plotly.NET 6.0.0 embeds.</summary>
    public const string Version = "2.28.0";

    const string Resource = "Plotly.NET.plotly-" + Version + ".min.js";
    static readonly Lazy<string> Source = new(ReadSource);
    static int _inlined;

    /// <summary>Whether an output of this session already carries plotly.js.</summary>
    public static bool IsInlined => Volatile.Read(ref _inlined) == 1;

    /// <summary>
    /// The script element that defines <c>window.Plotly</c>. Under require.js (nbconvert's HTML
    /// template, classic Notebook) plotly.js would register itself as an anonymous AMD module
    /// instead, leaving <c>window.Plotly</c> undefined and every chart blank; so <c>define</c> is
    /// hidden while it runs.
    /// </summary>
    public static string Script() =>
        "<script type=\"text/javascript\">(function(){var amd=window.define;window.define=undefined;try{\n" +
        Source.Value +
        "\n}finally{window.define=amd;}})();</script>";

    /// <summary>
    /// <see cref="Script"/> the first time it is asked for in this session (and then
    /// <paramref name="inlined"/> is true), an empty string afterwards.
    /// </summary>
    public static string ScriptOnce(out bool inlined)
    {
        inlined = Interlocked.Exchange(ref _inlined, 1) == 0;
        return inlined ? Script() : "";
    }

    /// <summary>
    /// Forgets that plotly.js was inlined, so the next chart carries it again: after clearing the
    /// output that held it, or for a test that needs a fresh session.
    /// </summary>
    public static void ResetSession() => Volatile.Write(ref _inlined, 0);

    static string ReadSource()
    {
        using var stream = typeof(Plotly.NET.GenericChart).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"Plotly.NET.dll does not embed '{Resource}'; StyleLab expects Plotly.NET 6.0.0.");
        using var reader = new StreamReader(stream);
        string source = reader.ReadToEnd();
        // An inline script ends at the first "</script" whatever the JavaScript around it means.
        return source.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}
