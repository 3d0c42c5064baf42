using Plotly.NET;

namespace StyleLab.Interactive;

/// <summary>
/// A Plotly.NET chart as a notebook output: a container with a unique id and a script that draws
/// the figure with the page's <c>window.Plotly</c>. Unlike Plotly.NET's own HTML it never
/// references a CDN; plotly.js comes from <see cref="PlotlyJs"/>.
/// </summary>
public static class PlotlyHtml
{
    /// <summary>
    /// The chart's HTML, with plotly.js inlined in front of it if this session has not inlined it
    /// yet (<paramref name="inlined"/> tells whether it did).
    /// </summary>
    public static string Render(GenericChart chart, out bool inlined) => PlotlyJs.ScriptOnce(out inlined) + Div(chart);

    /// <summary>The chart's HTML, inlining plotly.js once per session.</summary>
    public static string Render(GenericChart chart) => Render(chart, out _);

    /// <summary>
    /// The container and drawing script only. The script waits briefly for <c>window.Plotly</c>
    /// (a frontend may render outputs out of order) and says so in the container if it never comes.
    /// </summary>
    public static string Div(GenericChart chart)
    {
        string id = "stylelab-plot-" + Guid.NewGuid().ToString("N");
        string figure = GenericChart.toFigureJson(chart).Replace("</", "<\\/");
        return $"<div id=\"{id}\" class=\"stylelab-plot\"></div>" +
               "<script type=\"text/javascript\">(function(){" +
               $"var id=\"{id}\",figure={figure},tries=0;" +
               "function draw(){var el=document.getElementById(id);if(!el)return;" +
               "if(window.Plotly){window.Plotly.newPlot(el,figure.data,figure.layout,{responsive:true,displaylogo:false});return;}" +
               "if(++tries<200){setTimeout(draw,50);return;}" +
               "el.textContent='plotly.js is not loaded in this page: run StyleLab.Interactive.PlotlyJs.ResetSession() and display the chart again.';}" +
               "draw();})();</script>";
    }
}
