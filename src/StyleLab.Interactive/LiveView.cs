using StyleLab.Methods.Gatys;

namespace StyleLab.Interactive;

/// <summary>
/// Creates <see cref="LiveView{TReport}"/>s. In a StyleLab notebook:
/// <code>
/// using var live = LiveView.ForGatys(display("starting…").Update);
/// var result = Gatys.Run(encoder, content, style, options, progress: live, cancellationToken: Cancellation);
/// </code>
/// </summary>
public static class LiveView
{
    /// <summary>A live view of any operation whose reports <paramref name="select"/> maps to frames.</summary>
    public static LiveView<TReport> For<TReport>(IDisplayUpdater display, Func<TReport, LiveFrame> select, LiveViewOptions? options = null) =>
        new(display, select, options);

    /// <summary>A live view that updates through a callback such as <c>display(x).Update</c>.</summary>
    public static LiveView<TReport> For<TReport>(Action<object> update, Func<TReport, LiveFrame> select, LiveViewOptions? options = null) =>
        new(DisplayUpdater.From(update), select, options);

    /// <summary>
    /// A live view of <see cref="Gatys.Run"/>: the previews (set <see cref="GatysOptions.PreviewEvery"/>),
    /// the weighted loss terms and their total, and the pyramid level when there are several.
    /// </summary>
    public static LiveView<GatysReport> ForGatys(Action<object> update, LiveViewOptions? options = null) =>
        For<GatysReport>(update, report => new LiveFrame(report.Step, report.TotalSteps,
            new Dictionary<string, double>(report.Losses) { ["total"] = report.Total }, report.Preview,
            report.Levels > 1 ? $"level {report.Level}/{report.Levels}" : null), options);
}
