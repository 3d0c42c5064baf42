namespace StyleLab.Interactive;

/// <summary>How often and how a <see cref="LiveView{TReport}"/> redraws.</summary>
public sealed record LiveViewOptions
{
    /// <summary>Redraw at most every this many steps (the last step is always drawn).</summary>
    public int Every { get; init; } = 5;

    /// <summary>
    /// And at most this often: each redraw sends a preview and a chart to the frontend, and a flood
    /// of them makes the notebook sluggish and the saved file large.
    /// </summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest side, in pixels, of the preview image.</summary>
    public int PreviewSize { get; init; } = 320;

    /// <summary>Plot the losses on a log axis.</summary>
    public bool LogY { get; init; } = true;

    /// <summary>The loss terms to plot; null plots every top-level term (see <see cref="LossChart.Terms"/>).</summary>
    public IReadOnlyList<string>? Terms { get; init; }

    /// <summary>The defaults: every 5 steps, at most twice a second.</summary>
    public static LiveViewOptions Default { get; } = new();
}
