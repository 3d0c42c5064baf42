using Microsoft.FSharp.Core;
using Plotly.NET;
using StyleLab.Training;
using CSharpChart = Plotly.NET.CSharp.Chart;
using CSharpStyle = Plotly.NET.CSharp.GenericChartExtensions;

namespace StyleLab.Interactive;

/// <summary>
/// Loss terms over the steps of an optimisation or a training run, as an interactive Plotly
/// chart (zoom, hover values, toggle terms). Reads the history when displayed.
/// </summary>
/// <param name="History">The recorded terms.</param>
public sealed record LossChart(LossHistory History)
{
    /// <summary>
    /// The terms to plot, in this order. By default every top-level term: names without a colon,
    /// so per-layer breakdowns such as <c>style:relu1_1</c> stay out unless asked for.
    /// </summary>
    public IReadOnlyList<string>? Terms { get; init; }

    /// <summary>A logarithmic y-axis: losses fall over orders of magnitude.</summary>
    public bool LogY { get; init; } = true;

    /// <summary>A heading above the plot.</summary>
    public string? Title { get; init; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; init; } = 640;

    /// <summary>Height in pixels.</summary>
    public int Height { get; init; } = 320;

    /// <summary>A chart of <paramref name="history"/>'s top-level terms on a log axis.</summary>
    public static LossChart Of(LossHistory history, bool logY = true) => new(history) { LogY = logY };

    /// <summary>The terms that will be plotted.</summary>
    public IReadOnlyList<string> PlottedTerms => Terms ?? History.Names.Where(n => !n.Contains(':')).ToList();

    /// <summary>The Plotly.NET chart, for further styling or export.</summary>
    public GenericChart ToGenericChart()
    {
        var lines = PlottedTerms.Select(name =>
        {
            // A log axis cannot show zero or negative values: leave those points out.
            var points = History.Series(name).Where(p => !LogY || p.Value > 0).ToArray();
            return CSharpChart.Line<int, double, string>(
                x: points.Select(p => p.Step).ToArray(), y: points.Select(p => p.Value).ToArray(), Name: name);
        }).ToList();
        var chart = lines.Count > 0 ? CSharpChart.Combine(lines) : CSharpChart.Line<int, double, string>(x: [], y: []);
        chart = CSharpStyle.WithXAxisStyle<string, string, string>(chart, TitleText: "step");
        chart = CSharpStyle.WithYAxisStyle<string, string, string>(chart, TitleText: "loss",
            AxisType: LogY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);
        chart = CSharpStyle.WithSize(chart, Width, Height);
        // Plotly's default margins (80–100 px) would leave a 320 px chart half empty; the top one keeps
        // the mode bar (zoom, pan, save) clear of the legend.
        chart = Chart.withMarginSize<int, int, int, int, int, bool>(
            Some(60), Some(10), Some(Title is null ? 30 : 50), Some(40), null, null).Invoke(chart);
        if (Title is not null) chart = Chart.withTitle(Title, null).Invoke(chart);
        return chart;
    }

    /// <summary>The chart as notebook HTML; the session's first chart carries plotly.js (see <see cref="PlotlyJs"/>).</summary>
    public string ToHtml() => PlotlyHtml.Render(ToGenericChart());

    /// <inheritdoc/>
    public override string ToString() =>
        $"LossChart: {History.Count} steps; {string.Join(", ", PlottedTerms.Select(n => $"{n} {Last(n)}"))}";

    static FSharpOption<int> Some(int value) => FSharpOption<int>.Some(value);

    string Last(string name) =>
        History.Series(name) is { Count: > 0 } s ? s[^1].Value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) : "–";
}
