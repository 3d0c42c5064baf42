using Spectre.Console;
using StyleLab.Training;

namespace StyleLab.Cli;

/// <summary>
/// The progress bar of every <c>stylelab train</c> command: step, the latest loss terms, seconds per step, elapsed and
/// remaining time. Redirected output (a log file, CI) gets no live bar: a line every tenth of the run instead.
/// </summary>
public static class TrainingBar
{
    /// <summary>Runs <paramref name="train"/> (synchronous; given the bar's progress) off the caller's thread behind a bar.</summary>
    /// <param name="cancellationToken">The run's token, which <paramref name="train"/> itself must honour (a training loop checkpoints, then stops).</param>
    public static Task RunAsync(CliConsole console, string name, int startStep, int steps,
        Action<IProgress<TrainingReport>> train, CancellationToken cancellationToken) =>
        console.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{name} step {startStep}/{steps}", maxValue: steps);
                task.Value = startStep;
                // Not Task.Run(…, token): the loop must start even when cancelled already, to see the token and write its
                // checkpoint before it stops (Ctrl+C at any moment leaves a checkpoint).
                await Task.Run(() => train(new BarProgress(task, name, console)));
            });

    /// <summary>Reports on the training thread, in order (Progress&lt;T&gt; would post to the thread pool and reorder).</summary>
    sealed class BarProgress(ProgressTask task, string name, CliConsole console) : IProgress<TrainingReport>
    {
        public void Report(TrainingReport r)
        {
            // A phase's total repeats its only term ("R/L1" = "R/total"): show it only for phases with several.
            var terms = r.Losses
                .Where(kv => !kv.Key.EndsWith("/total") || r.Losses.Keys.Count(k => k.StartsWith(kv.Key[..^"total".Length])) > 2)
                .Select(kv => $"{kv.Key} {kv.Value:G3}");
            string line = $"{name} step {r.Step}/{r.Steps} {string.Join(" ", terms)} ({r.SecondsPerStep:F2} s/step)";
            task.Description = Markup.Escape(line);
            task.Value = r.Step;
            if (!console.Out.Profile.Capabilities.Interactive && (r.Step % Math.Max(1, r.Steps / 10) == 0 || r.Step == r.Steps))
                console.Out.WriteLine(line);
        }
    }
}
