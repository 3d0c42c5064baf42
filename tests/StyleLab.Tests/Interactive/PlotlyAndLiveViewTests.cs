using StyleLab.Interactive;
using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Tests.Interactive;

/// <summary>These share the session's "plotly.js already inlined" state, so they run one at a time.</summary>
[CollectionDefinition(nameof(PlotlySession), DisableParallelization = true)]
public class PlotlySession;

[Collection(nameof(PlotlySession))]
public class PlotlyAndLiveViewTests
{
    const string PlotlyBanner = "plotly.js v" + PlotlyJs.Version;

    static LossHistory History(int steps)
    {
        var history = new LossHistory();
        for (int i = 1; i <= steps; i++)
            history.Add(i, new Dictionary<string, double> { ["content"] = 10.0 / i, ["style"] = 100.0 / i, ["style:relu1_1"] = 1 });
        return history;
    }

    [Fact]
    public void Plotly_js_is_inlined_once_per_session_and_never_fetched()
    {
        PlotlyJs.ResetSession();
        string first = LossChart.Of(History(10)).ToHtml();
        string second = LossChart.Of(History(5)).ToHtml();

        Assert.Equal(1, Html.Count(first, PlotlyBanner));
        Assert.Equal(0, Html.Count(second, PlotlyBanner));
        Assert.Contains("window.define=undefined", first);
        foreach (string html in new[] { first, second })
        {
            Assert.DoesNotMatch("<script[^>]*src=", html);
            Assert.Contains("Plotly.newPlot", html);
        }
    }

    [Fact]
    public void A_loss_chart_plots_top_level_terms_unless_asked()
    {
        var history = History(3);
        Assert.Equal(["content", "style"], LossChart.Of(history).PlottedTerms);
        Assert.Equal(["style:relu1_1"], (LossChart.Of(history) with { Terms = ["style:relu1_1"] }).PlottedTerms);
    }

    sealed class ManualClock : TimeProvider
    {
        public long Ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    sealed class Recorder : IDisplayUpdater
    {
        public readonly List<HtmlFragment> Updates = [];
        public void Update(object content) => Updates.Add(Assert.IsType<HtmlFragment>(content));
    }

    [Fact]
    public void A_live_view_redraws_at_most_twice_a_second_and_always_shows_the_last_step()
    {
        PlotlyJs.ResetSession();
        var clock = new ManualClock();
        var display = new Recorder();
        var view = new LiveView<int>(display, step => new LiveFrame(step, 100, new Dictionary<string, double> { ["total"] = 1.0 / step }),
            new LiveViewOptions { Every = 1, MinInterval = TimeSpan.FromSeconds(0.5) }, clock);

        for (int step = 1; step <= 100; step++)
        {
            view.Report(step);
            clock.Advance(TimeSpan.FromMilliseconds(20));   // 50 steps a second
        }
        view.Dispose();

        // 2 s of reports at ≤ 2 redraws per second, plus the first and the last step.
        Assert.InRange(display.Updates.Count, 3, 6);
        Assert.Contains("step 100/100", display.Updates[^1].Html);
        Assert.Equal(100, view.History.Count);
    }

    [Fact]
    public void A_live_view_inlines_plotly_js_in_its_first_and_final_update_only()
    {
        PlotlyJs.ResetSession();
        var clock = new ManualClock();
        var display = new Recorder();
        using (var view = LiveView.For<int>(display, step => new LiveFrame(step, 10, new Dictionary<string, double> { ["total"] = step },
                   Preview: ones(1, 3, 8, 8)), new LiveViewOptions { Every = 1, MinInterval = TimeSpan.Zero }))
        {
            for (int step = 1; step <= 10; step++) view.Report(step);
        }

        Assert.Equal(10, display.Updates.Count);
        Assert.Equal(1, Html.Count(display.Updates[0].Html, PlotlyBanner));
        Assert.All(display.Updates.Skip(1).SkipLast(1), u => Assert.DoesNotContain(PlotlyBanner, u.Html));
        // A saved notebook keeps only the final update of a display: it must bring plotly.js itself.
        Assert.Equal(1, Html.Count(display.Updates[^1].Html, PlotlyBanner));
        Assert.All(display.Updates, u => Assert.Single(Html.PngSizes(u.Html)));
    }

    [Fact]
    public void A_live_view_keeps_its_preview_beyond_the_reporters_dispose_scope()
    {
        var display = new Recorder();
        var view = new LiveView<int>(display, step => new LiveFrame(step, 0, new Dictionary<string, double> { ["total"] = step },
            Preview: rand(1, 3, 8, 8)), new LiveViewOptions { Every = 100 }, new ManualClock());
        // Like Gatys.Run: each step, and its report, inside a scope that frees the step's tensors.
        for (int step = 1; step <= 3; step++)
            using (NewDisposeScope()) view.Report(step);
        view.Dispose();
        Assert.Single(Html.PngSizes(display.Updates[^1].Html));
    }

    [Fact]
    public void A_live_view_completes_what_the_throttle_held_back()
    {
        var clock = new ManualClock();
        var display = new Recorder();
        var view = new LiveView<int>(display, step => new LiveFrame(step, 0, new Dictionary<string, double> { ["total"] = step }),
            new LiveViewOptions { Every = 100 }, clock);
        view.Report(1);
        view.Report(2);
        view.Report(3);
        Assert.Single(display.Updates);
        view.Complete();
        Assert.Equal(2, display.Updates.Count);
        Assert.Contains("step 3", display.Updates[^1].Html);
    }
}
