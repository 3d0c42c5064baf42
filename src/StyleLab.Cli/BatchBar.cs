using System.Diagnostics;
using Spectre.Console;
using StyleLab.Batch;

namespace StyleLab.Cli;

/// <summary>
/// Progress of a shard: a bar (items/s, ETA) on a terminal; in a log (a Slurm output file, <c>kubectl logs</c>) plain
/// lines, at most one every <see cref="LineInterval"/>, and one at the end.
/// </summary>
public static class BatchBar
{
    /// <summary>How often a plain progress line is written.</summary>
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="run"/> (synchronous; given the progress) off the caller's thread behind the bar or the lines.</summary>
    public static async Task<T> RunAsync<T>(CliConsole console, string name, Func<IProgress<BatchProgress>, T> run, CancellationToken cancellationToken)
    {
        if (!console.Out.Profile.Capabilities.Interactive)
            return await Task.Run(() => run(new Lines(console, name)), cancellationToken);
        T result = default!;
        await console.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(name), autoStart: true, maxValue: 1);
                result = await Task.Run(() => run(new Bar(task, name)), cancellationToken);
            });
        return result;
    }

    static string Describe(string name, BatchProgress p) =>
        $"{name}: {p.Handled}/{p.Total} (written {p.Done}, failed {p.Failed}, already complete {p.Skipped}), {p.ItemsPerSecond:F2} items/s" +
        (p.ItemsPerSecond > 0 && p.Handled < p.Total ? $", ETA {TimeSpan.FromSeconds(Math.Round((p.Total - p.Handled) / p.ItemsPerSecond)):g}" : "");

    sealed class Bar(ProgressTask task, string name) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress p)
        {
            task.MaxValue = Math.Max(1, p.Total);
            task.Value = p.Handled;
            task.Description = Markup.Escape($"{name} {p.Handled}/{p.Total} {p.ItemsPerSecond:F1} items/s" + (p.Failed > 0 ? $", {p.Failed} failed" : ""));
        }
    }

    sealed class Lines(CliConsole console, string name) : IProgress<BatchProgress>
    {
        readonly Stopwatch _since = Stopwatch.StartNew();
        bool _first = true;

        public void Report(BatchProgress p)
        {
            bool last = p.Current is null;
            if (!_first && !last && _since.Elapsed < LineInterval) return;
            _first = false;
            _since.Restart();
            console.Out.WriteLine(Describe(name, p));
        }
    }
}
