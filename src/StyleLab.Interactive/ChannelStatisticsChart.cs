using StyleLab.Losses;
using Microsoft.FSharp.Core;
using Plotly.NET;
using StyleLab.Methods;
using static TorchSharp.torch;
using CSharpChart = Plotly.NET.CSharp.Chart;
using CSharpStyle = Plotly.NET.CSharp.GenericChartExtensions;

namespace StyleLab.Interactive;

/// <summary>
/// The per-channel mean μ and standard deviation σ of feature maps (<see cref="ChannelStatistics"/>) of
/// several images side by side, as two Plotly scatter plots over the channel index: what AdaIN, WCT
/// and SANet change. The statistics are computed once, when the chart is made.
/// </summary>
public sealed record ChannelStatisticsChart
{
    readonly IReadOnlyList<(string Name, float[] Mean, float[] Std)> _series;

    ChannelStatisticsChart(IReadOnlyList<(string, float[], float[])> series) => _series = series;

    /// <summary>Named features [1,C,H,W] (same C), e.g. ("content", f(c)), ("style", f(s)), ("AdaIN", t).</summary>
    public static ChannelStatisticsChart Of(params (string Name, Tensor Features)[] features) =>
        new(features.Select(f =>
        {
            var (mean, std) = ChannelStatistics.MeanStd(f.Features[..1]);
            using (mean) using (std)
                return (f.Name, mean.flatten().cpu().data<float>().ToArray(), std.flatten().cpu().data<float>().ToArray());
        }).ToList());

    /// <summary>Show only the first this many channels (0: all).</summary>
    public int Channels { get; init; } = 64;

    /// <summary>A heading above the plots.</summary>
    public string? Title { get; init; }

    /// <summary>Width in pixels of each plot.</summary>
    public int Width { get; init; } = 640;

    /// <summary>The μ plot and the σ plot.</summary>
    public (GenericChart Mean, GenericChart Std) ToGenericCharts() => (Plot("μ", s => s.Mean), Plot("σ", s => s.Std));

    GenericChart Plot(string statistic, Func<(string Name, float[] Mean, float[] Std), float[]> select)
    {
        var charts = _series.Select(s =>
        {
            var values = select(s).Take(Channels > 0 ? Channels : int.MaxValue).Select(v => (double)v).ToArray();
            return CSharpChart.Point<int, double, string>(x: Enumerable.Range(0, values.Length).ToArray(), y: values, Name: s.Name);
        }).ToList();
        var chart = CSharpChart.Combine(charts);
        chart = CSharpStyle.WithXAxisStyle<string, string, string>(chart, TitleText: "channel");
        chart = CSharpStyle.WithYAxisStyle<string, string, string>(chart, TitleText: statistic);
        chart = CSharpStyle.WithSize(chart, Width, 260);
        chart = Chart.withMarginSize<int, int, int, int, int, bool>(
            FSharpOption<int>.Some(60), FSharpOption<int>.Some(10), FSharpOption<int>.Some(40), FSharpOption<int>.Some(40), null, null).Invoke(chart);
        return Chart.withTitle($"{Title ?? "per-channel statistics"}: {statistic}", null).Invoke(chart);
    }

    /// <summary>Both plots as notebook HTML (the session's first chart carries plotly.js).</summary>
    public string ToHtml()
    {
        var (mean, std) = ToGenericCharts();
        return PlotlyHtml.Render(mean) + PlotlyHtml.Div(std);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ChannelStatisticsChart: {string.Join(", ", _series.Select(s => $"{s.Name} (mean μ {s.Mean.Average():G3}, mean σ {s.Std.Average():G3})"))}";
}
