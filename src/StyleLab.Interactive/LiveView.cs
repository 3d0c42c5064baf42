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
}
