namespace StyleLab.Kernel;

/// <summary>
/// The cell that is running now, for code that cannot be handed the script's globals
/// (helpers defined in one cell and called from another, or notebook-side extension code).
/// </summary>
/// <remarks>
/// Library code never reads this: StyleLab's methods take a <see cref="CancellationToken"/>
/// argument and notebook code passes <c>Cancellation</c> explicitly. Lives in the kernel so the
/// library does not know notebooks exist.
/// </remarks>
public static class CellContext
{
    static RunningCell? _current;

    /// <summary>Cancelled when the user interrupts the running cell; <c>None</c> between cells.</summary>
    public static CancellationToken Cancellation => Volatile.Read(ref _current)?.Cancellation.Token ?? CancellationToken.None;

    /// <summary>The running cell's execution count, or null between cells.</summary>
    public static int? ExecutionCount => Volatile.Read(ref _current)?.ExecutionCount;

    internal static RunningCell? Current => Volatile.Read(ref _current);

    /// <summary>Makes <paramref name="cell"/> the running cell until the returned scope is disposed.</summary>
    internal static IDisposable Enter(RunningCell cell)
    {
        Volatile.Write(ref _current, cell);
        return new Scope(cell);
    }

    sealed class Scope(RunningCell cell) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref _current, null, cell);
    }
}

/// <summary>One execute_request while it runs: the message outputs are attributed to, and its interrupt switch.</summary>
internal sealed class RunningCell(WireMessage request, int executionCount)
{
    int _interrupts;
    bool _finished, _noteShown;

    public WireMessage Request { get; } = request;
    public int ExecutionCount { get; } = executionCount;

    /// <summary>When the cell started (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long Started { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>Never disposed: the control thread may cancel it while the cell finishes; it holds no timer.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Completes when the user gives up on the cell (a second interrupt while it still runs).</summary>
    public TaskCompletionSource Abandoned { get; } = new();

    /// <summary>Set once the cell's result is in; an interrupt after that changes nothing.</summary>
    public bool Finished
    {
        get => Volatile.Read(ref _finished);
        set => Volatile.Write(ref _finished, value);
    }

    /// <summary>Whether the user was told the cell ignores the interrupt (only then does another one abandon it).</summary>
    public bool NoteShown
    {
        get => Volatile.Read(ref _noteShown);
        set => Volatile.Write(ref _noteShown, value);
    }

    /// <summary>Counts an interrupt; returns how many this cell has had.</summary>
    public int Interrupt() => Interlocked.Increment(ref _interrupts);
}
