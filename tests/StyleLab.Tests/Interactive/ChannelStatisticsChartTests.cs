using StyleLab.Losses;
using StyleLab.Interactive;
using static TorchSharp.torch;

namespace StyleLab.Tests.Interactive;

public class ChannelStatisticsChartTests
{
    [Fact]
    public void The_chart_plots_each_images_channel_means_and_stds()
    {
        using var scope = NewDisposeScope();
        // Channel k of "a" is constant k (σ = √ε); "b" is a ±2 pattern around 5 (μ = 5, σ = 2·√(n/(n−1))).
        var a = arange(3).to(ScalarType.Float32).view(1, 3, 1, 1).expand(1, 3, 4, 4).contiguous();
        var b = (full(new long[] { 1, 3, 4, 4 }, 5f) + 2 * (arange(16).remainder(2) * 2 - 1).to(ScalarType.Float32).view(1, 1, 4, 4));
        var chart = ChannelStatisticsChart.Of(("a", a), ("b", b)) with { Title = "relu3_1" };
        Assert.Equal("ChannelStatisticsChart: a (mean μ 1, mean σ 0.00316), b (mean μ 5, mean σ 2.07)", chart.ToString());
        string html = chart.ToHtml();
        Assert.Contains("relu3_1: μ", html);
        Assert.Contains("relu3_1: σ", html);
    }
}
