using System.Collections.Concurrent;

namespace StyleLab.Kernel;

/// <summary>
/// The thread cells run on. One thread serves every cell, so thread-local state (TorchSharp's
/// dispose scopes, libtorch's grad mode) carries from cell to cell as users expect; only a cell
/// that is abandoned keeps its thread, and the next cell gets a new one.
/// </summary>
internal sealed class CellThread
{
    readonly Thread _thread;
    readonly BlockingCollection<Action> _work = new();

    public CellThread()
    {
        // Notebook code recurses more than kernel code; give it a main-thread-sized stack.
        _thread = new Thread(Loop, maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = "cell" };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="cell"/> on this thread; the task completes when it returns.</summary>
    public Task<T> Run<T>(Func<T> cell)
    {
        // Continuations run inline: the executor's wait is one, and a busy thread pool must not delay the reply.
        var done = new TaskCompletionSource<T>();
        _work.Add(() =>
        {
            try { done.SetResult(cell()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    /// <summary>Lets the thread end once the cell it is running returns (if it ever does).</summary>
    public void Retire() => _work.CompleteAdding();

    void Loop()
    {
        foreach (var work in _work.GetConsumingEnumerable()) work();
    }
}
