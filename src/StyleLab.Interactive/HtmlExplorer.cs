using System.Net;
using System.Reflection;
using System.Text.Json;

namespace StyleLab.Interactive;

/// <summary>
/// A self-contained interactive HTML view: markup (images as data URIs, canvases), a data payload
/// and a small vanilla-JavaScript script, with no network access, so it works offline and in an
/// exported notebook. Hover-to-inspect views of features, attention and correspondences build on it.
/// </summary>
/// <remarks>
/// <para>The script is a JavaScript function expression <c>function (root, data, lib) { … }</c>:
/// <c>root</c> is this explorer's element (find its parts with <c>lib.part("name")</c> for elements
/// marked <c>data-part="name"</c>), <c>data</c> the parsed payload, and <c>lib</c> the runtime in
/// <c>Scripts/explorer-runtime.js</c> (<c>unpack</c> for <see cref="PackedArray"/>s, <c>cellAt</c>).</para>
/// <para>Each instance has its own element id, and scripts only look inside their root, so any
/// number of explorers share a page.</para>
/// </remarks>
/// <param name="Kind">What it explores, e.g. <c>feature-similarity</c>; part of the id and a CSS class.</param>
/// <param name="Markup">The explorer's body.</param>
/// <param name="Script">The function expression that brings it to life.</param>
/// <param name="Data">The payload: numbers, strings, arrays, <see cref="PackedArray"/>s, serialised as JSON.</param>
public sealed record HtmlExplorer(string Kind, string Markup, string Script, IReadOnlyDictionary<string, object?> Data)
{
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The root element's id, unique per instance.</summary>
    public string Id { get; init; } = $"stylelab-{Kind}-{Guid.NewGuid():N}";

    /// <summary>A heading above the explorer.</summary>
    public string? Title { get; init; }

    /// <summary>The payload as it is embedded: JSON, with <c>&lt;</c> escaped so it cannot end its script element.</summary>
    public string PayloadJson => JsonSerializer.Serialize(Data, Json);

    /// <summary>The explorer as one self-contained HTML fragment.</summary>
    public string ToHtml() =>
        $"<div id=\"{Id}\" class=\"stylelab-explorer stylelab-{WebUtility.HtmlEncode(Kind)}\" style=\"font:13px sans-serif\">" +
        (Title is null ? "" : $"<div style=\"font:600 14px sans-serif;margin:4px 0\">{WebUtility.HtmlEncode(Title)}</div>") +
        Markup +
        $"<script type=\"application/json\" data-part=\"payload\">{PayloadJson}</script>" +
        "<script type=\"text/javascript\">(function () {" +
        // currentScript finds this very copy even if a frontend shows the output twice (same id).
        $"var root = (document.currentScript && document.currentScript.parentNode) || document.getElementById(\"{Id}\");" +
        "if (!root || root.getAttribute('data-started')) return; root.setAttribute('data-started', '1');" +
        "var data = JSON.parse(root.querySelector('script[data-part=\"payload\"]').textContent);" +
        $"var lib = ({Runtime.Value})(root);" +
        $"({Script})(root, data, lib);" +
        "})();</script></div>";

    /// <inheritdoc/>
    public override string ToString() => Title ?? $"{Kind} explorer";

    static readonly Lazy<string> Runtime = new(() => ReadScript("explorer-runtime.js"));

    /// <summary>A script shipped in this assembly's <c>Scripts/</c> folder.</summary>
    internal static string ReadScript(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("StyleLab.Interactive.Scripts." + name)
            ?? throw new InvalidOperationException($"StyleLab.Interactive does not embed the script '{name}'.");
        using var reader = new StreamReader(stream);
        // Leading comments would turn "(function …)" into "(// …" if the text were ever joined on one line.
        var lines = reader.ReadToEnd().Split('\n').SkipWhile(l => l.TrimStart().StartsWith("//"));
        return string.Join("\n", lines).Trim().Replace("</", "<\\/");
    }
}
