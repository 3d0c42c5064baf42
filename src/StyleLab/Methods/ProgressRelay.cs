namespace StyleLab.Methods;

/// <summary>
/// Passes a method's own progress reports on as <see cref="StyleProgress"/>, synchronously
/// (<see cref="Progress{T}"/> would post them to the thread pool, out of order).
/// </summary>
internal sealed class ProgressRelay<T>(IProgress<StyleProgress> target, Func<T, StyleProgress> map) : IProgress<T>
{
    public void Report(T value) => target.Report(map(value));

    /// <summary>A relay to <paramref name="target"/>, or null when nobody listens.</summary>
    public static ProgressRelay<T>? To(IProgress<StyleProgress>? target, Func<T, StyleProgress> map) =>
        target is null ? null : new ProgressRelay<T>(target, map);
}
