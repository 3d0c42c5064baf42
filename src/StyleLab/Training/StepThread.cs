using System.Collections.Concurrent;

namespace StyleLab.Training;

/// <summary>
/// One long-lived thread that runs a training loop's steps, so that the caller can stop waiting for a step the moment
/// it is cancelled while the step's native work (a backward pass cannot be interrupted) runs out here. One thread, not
/// the thread pool: OpenMP keeps a team of worker threads for every thread that calls into libtorch.
/// </summary>
sealed class StepThread : IDisposable
{
    readonly BlockingCollection<Action> _work = new();

    public StepThread(string name)
    {
        var thread = new Thread(() => { foreach (var item in _work.GetConsumingEnumerable()) item(); })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
    }

    /// <summary>Runs <paramref name="step"/> on the thread; the task holds its result or its exception.</summary>
    public Task<T> Run<T>(Func<T> step)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try { done.SetResult(step()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    /// <summary>The thread ends after the step it is running, if any; nothing waits for it.</summary>
    public void Dispose() => _work.CompleteAdding();
}
