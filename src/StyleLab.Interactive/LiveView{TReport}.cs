using System.Globalization;
using System.Net;
using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// A notebook output that follows a long operation: the latest preview image beside a chart of
/// the loss terms, redrawn in place every few steps and at most a few times a second. Pass it as
/// the operation's <see cref="IProgress{T}"/>; create it with <see cref="LiveView.For{TReport}(Action{object}, Func{TReport, LiveFrame}, LiveViewOptions?)"/>.
/// </summary>
/// <remarks>
/// Reports may arrive on any thread; redraws happen on the reporting thread. The last step is
/// always drawn, and <see cref="Complete"/> (or <see cref="Dispose"/>) draws whatever the
/// throttle held back, so the output ends showing the final state.
/// </remarks>
public sealed class LiveView<TReport> : IProgress<TReport>, IDisposable
{
    readonly IDisplayUpdater _display;
    readonly Func<TReport, LiveFrame> _select;
    readonly TimeProvider _time;
    readonly long _started;
    readonly object _gate = new();
    long? _lastDrawnAt;
    int _lastDrawnStep, _lastStep = int.MinValue;
    LiveFrame? _latest;
    Tensor? _preview;
    string? _previewHtml;
    bool _ownsPlotly, _finished;

    /// <summary>A live view that draws through <paramref name="display"/>.</summary>
    /// <param name="display">Replaces the output the view lives in.</param>
    /// <param name="select">Maps a report to what the view shows.</param>
    /// <param name="options">Redraw frequency and looks.</param>
    /// <param name="time">The clock the throttle reads (tests pass a fake one).</param>
    public LiveView(IDisplayUpdater display, Func<TReport, LiveFrame> select, LiveViewOptions? options = null, TimeProvider? time = null)
    {
        _display = display ?? throw new ArgumentNullException(nameof(display));
        _select = select ?? throw new ArgumentNullException(nameof(select));
        Options = options ?? LiveViewOptions.Default;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        // The updates are StyleLab types: make sure the frontend gets them as HTML even if nobody registered yet.
        StyleLabFormatters.Register();
    }

    /// <summary>How often and how the view redraws.</summary>
    public LiveViewOptions Options { get; }

    /// <summary>Every reported step's loss terms.</summary>
    public LossHistory History { get; } = new();

    /// <summary>How many times the output was redrawn.</summary>
    public int Redraws { get; private set; }

    /// <summary>Records a report and redraws if a redraw is due.</summary>
    public void Report(TReport value)
    {
        var frame = _select(value);
        lock (_gate)
        {
            if (frame.Preview is { } preview)
                using (preview) KeepPreview(preview);
            // A repeated step (e.g. a resumed run) has nothing new to chart.
            if (frame.Step > _lastStep)
            {
                History.Add(frame.Step, frame.Losses);
                _lastStep = frame.Step;
            }
            _latest = frame;

            bool last = frame.TotalSteps > 0 && frame.Step >= frame.TotalSteps;
            // The first report is drawn at once: the output should say the run has started.
            bool due = _lastDrawnAt is not long drawnAt
                       || frame.Step - _lastDrawnStep >= Options.Every && _time.GetElapsedTime(drawnAt) >= Options.MinInterval;
            if (last || due) Draw(final: last);
        }
    }

    /// <summary>Draws the final state now (if the throttle held it back); call when the operation ends or fails.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_latest is not null && !_finished) Draw(final: true);
        }
    }

    /// <summary>Completes the view and frees the preview it keeps.</summary>
    public void Dispose()
    {
        Complete();
        lock (_gate)
        {
            _preview?.Dispose();
            _preview = null;
        }
    }

    void KeepPreview(Tensor preview)
    {
        using var scope = NewDisposeScope();
        // Detached: reports arrive inside the operation's own dispose scopes, which would free it after the step.
        var small = InlineImage.ForDisplay(preview, Options.PreviewSize).DetachFromDisposeScope();
        _preview?.Dispose();
        _preview = small;
        _previewHtml = null;
    }

    void Draw(bool final)
    {
        var frame = _latest!;
        var chart = new LossChart(History) { LogY = Options.LogY, Terms = Options.Terms, Width = 520, Height = 300 };
        string plotly = PlotlyJs.ScriptOnce(out bool inlinedNow);
        _ownsPlotly |= inlinedNow;
        // Only the final update survives in a saved notebook: if this view's first update was the
        // one that brought plotly.js into the page, the final one must bring it again.
        if (final && _ownsPlotly && !inlinedNow) plotly = PlotlyJs.Script();

        _previewHtml ??= _preview is null ? "" : InlineImage.Html(_preview, alt: $"step {frame.Step}", displaySide: Options.PreviewSize);
        string caption = Caption(frame, final);
        string html =
            "<div class=\"stylelab-live\" style=\"display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start\">" +
            $"<figure style=\"margin:0\">{_previewHtml}<figcaption style=\"font:13px sans-serif\">{WebUtility.HtmlEncode(caption)}</figcaption></figure>" +
            $"<div>{plotly}{PlotlyHtml.Div(chart.ToGenericChart())}</div>" +
            $"</div><div style=\"font:12px monospace;margin-top:4px\">{WebUtility.HtmlEncode(Losses(frame))}</div>";
        _display.Update(new HtmlFragment(html, caption + " · " + Losses(frame)));

        Redraws++;
        _lastDrawnStep = frame.Step;
        _lastDrawnAt = _time.GetTimestamp();
        _finished = final;
    }

    string Caption(LiveFrame frame, bool final)
    {
        string steps = frame.TotalSteps > 0 ? $"step {frame.Step}/{frame.TotalSteps}" : $"step {frame.Step}";
        string status = frame.Status is null ? "" : $" · {frame.Status}";
        string seconds = _time.GetElapsedTime(_started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        string state = final && frame.TotalSteps > 0 && frame.Step < frame.TotalSteps ? " · stopped" : "";
        return $"{steps}{status} · {seconds} s{state}";
    }

    static string Losses(LiveFrame frame) => string.Join("  ",
        frame.Losses.Where(kv => !kv.Key.Contains(':'))
            .Select(kv => $"{kv.Key} {kv.Value.ToString("G4", CultureInfo.InvariantCulture)}"));
}
