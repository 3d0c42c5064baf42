namespace StyleLab.Training;

/// <summary>
/// Named loss terms recorded step by step ("content", "style", "tv", "total", …), for charts and
/// diagnostics. Safe to read from a UI thread while an optimiser on another thread writes: every
/// member takes a lock and returns a copy, so a reader never sees a half-written step.
/// </summary>
public sealed class LossHistory
{
    readonly object _gate = new();
    readonly List<int> _steps = new();
    readonly Dictionary<string, List<(int Step, double Value)>> _series = new();
    readonly List<string> _names = new();
    IReadOnlyDictionary<string, double> _last = new Dictionary<string, double>();

    /// <summary>Raised after each <see cref="Add"/>, on the writer's thread, with the step just added.</summary>
    public event Action<LossHistory, int>? Updated;

    /// <summary>
    /// Records the terms of one step. Steps are expected to increase; a term may be missing at some
    /// steps (its series simply has no point there).
    /// </summary>
    public void Add(int step, IReadOnlyDictionary<string, double> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        lock (_gate)
        {
            if (_steps.Count > 0 && step <= _steps[^1])
                throw new ArgumentException($"Step {step} is not after the last recorded step {_steps[^1]}.", nameof(step));
            _steps.Add(step);
            foreach (var (name, value) in terms)
            {
                if (!_series.TryGetValue(name, out var series))
                {
                    _series[name] = series = new();
                    _names.Add(name);
                }
                series.Add((step, value));
            }
            _last = new Dictionary<string, double>(terms);
        }
        Updated?.Invoke(this, step);
    }

    /// <summary>The steps recorded so far, in order.</summary>
    public IReadOnlyList<int> Steps { get { lock (_gate) return _steps.ToArray(); } }

    /// <summary>Every term name seen so far, in order of first appearance.</summary>
    public IReadOnlyList<string> Names { get { lock (_gate) return _names.ToArray(); } }

    /// <summary>The terms of the latest step (empty before the first).</summary>
    public IReadOnlyDictionary<string, double> Last { get { lock (_gate) return _last; } }

    /// <summary>Number of steps recorded.</summary>
    public int Count { get { lock (_gate) return _steps.Count; } }

    /// <summary>One term's values by step (empty for a name never recorded).</summary>
    public IReadOnlyList<(int Step, double Value)> Series(string name)
    {
        lock (_gate) return _series.TryGetValue(name, out var series) ? series.ToArray() : [];
    }
}
