using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using StyleLab.Methods.CAST;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// A map of a learned style space: images placed by the first two principal components of their style
/// codes (e.g. CAST's <see cref="StyleCodes"/>), drawn as an interactive Plotly scatter with each image's
/// thumbnail at its point and a larger preview, its label and its nearest neighbours on hover.
/// Self-contained: plotly.js is inlined once per session (<see cref="PlotlyJs"/>), thumbnails are data
/// URIs, so an exported notebook renders it offline.
/// </summary>
public sealed class StyleCodeMap
{
    /// <summary>One image on the map.</summary>
    /// <param name="Label">Its name (e.g. the file name).</param>
    /// <param name="X">First principal component.</param>
    /// <param name="Y">Second principal component.</param>
    /// <param name="Thumbnail">A PNG data URI.</param>
    /// <param name="Group">Optional colour group (e.g. "painting", "photo", "stylised").</param>
    /// <param name="Nearest">Labels of its nearest neighbours in code space (cosine), best first.</param>
    public sealed record Point(string Label, double X, double Y, string Thumbnail, string Group, IReadOnlyList<string> Nearest);

    /// <summary>The images, in the order given.</summary>
    public IReadOnlyList<Point> Points { get; }

    /// <summary>Fraction of the codes' variance along each axis.</summary>
    public IReadOnlyList<double> Explained { get; }

    /// <summary>Title above the chart.</summary>
    public string Title { get; }

    StyleCodeMap(IReadOnlyList<Point> points, IReadOnlyList<double> explained, string title)
    {
        Points = points;
        Explained = explained;
        Title = title;
    }

    /// <summary>
    /// Maps <paramref name="codes"/> [N,D] (one row per image) to 2-D by PCA; <paramref name="images"/>
    /// ([1,3,H,W] or [3,H,W] in [0,1]) become the thumbnails.
    /// </summary>
    public static StyleCodeMap Create(IReadOnlyList<string> labels, IReadOnlyList<Tensor> images, Tensor codes,
        string title = "Style codes (PCA)", IReadOnlyList<string>? groups = null, int thumbnailSide = 96, int neighbours = 3)
    {
        if (labels.Count != images.Count || codes.shape[0] != labels.Count)
            throw new ArgumentException($"{labels.Count} labels, {images.Count} images and {codes.shape[0]} codes: one of each per image is needed.");
        if (groups is not null && groups.Count != labels.Count)
            throw new ArgumentException($"{groups.Count} groups for {labels.Count} images.", nameof(groups));
        using var scope = NewDisposeScope();
        var (coordinates, explained) = StyleCodes.Pca2D(codes);
        var xy = coordinates.cpu().data<float>().ToArray();
        var points = new List<Point>();
        for (int i = 0; i < labels.Count; i++)
        {
            var image = images[i].dim() == 3 ? images[i].unsqueeze(0) : images[i];
            var nearest = StyleCodes.Nearest(codes[i], codes, neighbours, exclude: i).Select(n => labels[n.Index]).ToList();
            points.Add(new Point(labels[i], xy[2 * i], xy[2 * i + 1], InlineImage.DataUri(image, thumbnailSide), groups?[i] ?? "", nearest));
        }
        return new StyleCodeMap(points, explained, title);
    }

    /// <summary>The chart's HTML (plotly.js inlined the first time in a session).</summary>
    public string ToHtml() => PlotlyJs.ScriptOnce(out _) + Div();

    /// <summary>The container, the figure and the hover script, without plotly.js.</summary>
    public string Div()
    {
        string id = "stylelab-map-" + Guid.NewGuid().ToString("N");
        double minX = Points.Min(p => p.X), maxX = Points.Max(p => p.X), minY = Points.Min(p => p.Y), maxY = Points.Max(p => p.Y);
        double spanX = Math.Max(maxX - minX, 1e-6), spanY = Math.Max(maxY - minY, 1e-6);
        // Thumbnails are sized in axis units: a tenth of the wider span, so they stay readable and rarely hide each other.
        double side = 0.1 * Math.Max(spanX, spanY);
        var traces = Points.Select((p, i) => (p, i)).GroupBy(t => t.p.Group).Select(g => new Dictionary<string, object>
        {
            ["type"] = "scatter",
            ["mode"] = "markers",
            ["name"] = g.Key.Length == 0 ? "images" : g.Key,
            ["x"] = g.Select(t => t.p.X).ToArray(),
            ["y"] = g.Select(t => t.p.Y).ToArray(),
            ["customdata"] = g.Select(t => t.i).ToArray(),
            ["text"] = g.Select(t => t.p.Label).ToArray(),
            ["hovertemplate"] = "%{text}<extra></extra>",
            ["marker"] = new Dictionary<string, object> { ["size"] = 10, ["opacity"] = 0.85 },
        }).ToArray();
        var layout = new Dictionary<string, object>
        {
            ["title"] = new Dictionary<string, object> { ["text"] = Title },
            ["xaxis"] = new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = $"PC 1 ({Explained[0]:P0} of variance)" }, ["range"] = new[] { minX - side, maxX + side }, ["zeroline"] = false },
            ["yaxis"] = new Dictionary<string, object> { ["title"] = new Dictionary<string, object> { ["text"] = $"PC 2 ({Explained[1]:P0})" }, ["range"] = new[] { minY - side, maxY + side }, ["zeroline"] = false },
            ["images"] = Points.Select(p => new Dictionary<string, object>
            {
                ["source"] = p.Thumbnail, ["xref"] = "x", ["yref"] = "y", ["x"] = p.X, ["y"] = p.Y,
                ["sizex"] = side, ["sizey"] = side,
                ["xanchor"] = "center", ["yanchor"] = "middle", ["layer"] = "above", ["opacity"] = 0.9,
            }).ToArray(),
            ["height"] = 560,
            ["margin"] = new Dictionary<string, object> { ["t"] = 50 },
            ["hovermode"] = "closest",
        };
        var info = Points.Select(p => new { label = p.Label, thumb = p.Thumbnail, nearest = p.Nearest }).ToArray();
        string Json(object o) => JsonSerializer.Serialize(o).Replace("</", "<\\/");
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<div style=\"display:flex;gap:12px;align-items:flex-start\"><div id=\"{id}\" class=\"stylelab-plot\" style=\"flex:1;min-width:0\"></div>");
        html.Append(CultureInfo.InvariantCulture, $"<div id=\"{id}-hover\" style=\"width:220px;font:12px sans-serif;color:#333\">Hover a point to see its image and its nearest styles.</div></div>");
        html.Append("<script type=\"text/javascript\">(function(){");
        html.Append(CultureInfo.InvariantCulture, $"var id=\"{id}\",data={Json(traces)},layout={Json(layout)},info={Json(info)},tries=0;");
        html.Append("function esc(s){return String(s).replace(/[&<>\"]/g,function(c){return{'&':'&amp;','<':'&lt;','>':'&gt;','\"':'&quot;'}[c];});}");
        html.Append("function draw(){var el=document.getElementById(id);if(!el)return;");
        html.Append("if(!window.Plotly){if(++tries<200){setTimeout(draw,50);}else{el.textContent='plotly.js is not loaded in this page: run StyleLab.Interactive.PlotlyJs.ResetSession() and display the map again.';}return;}");
        html.Append("window.Plotly.newPlot(el,data,layout,{responsive:true,displaylogo:false}).then(function(){");
        html.Append("el.on('plotly_hover',function(ev){var p=info[ev.points[0].customdata];var box=document.getElementById(id+'-hover');");
        html.Append("box.innerHTML='<b>'+esc(p.label)+'</b><br><img style=\"width:200px;image-rendering:auto\" src=\"'+p.thumb+'\"><br>nearest: '+p.nearest.map(esc).join(', ');});});}");
        html.Append("draw();})();</script>");
        return html.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"StyleCodeMap: {Points.Count} images, PC1 {Explained[0]:P0}, PC2 {Explained[1]:P0} of the variance";
}
