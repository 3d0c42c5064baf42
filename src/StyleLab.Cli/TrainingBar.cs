using Spectre.Console;
using StyleLab.Training;

namespace StyleLab.Cli;

/// <summary>A progress bar for a <see cref="TrainingLoop{TBatch}"/> run: step, the latest loss terms, elapsed and remaining time.</summary>
public static class TrainingBar
{
    /// <summary>Runs <paramref name="train"/> (synchronous; given the bar's progress) off the caller's thread behind a bar.</summary>
    public static Task RunAsync(CliConsole console, string name, int startStep, int steps,
        Action<IProgress<TrainingReport>> train, CancellationToken cancellationToken) =>
        console.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"{name} step {startStep}/{steps}", maxValue: steps);
                task.Value = startStep;
                await Task.Run(() => train(new BarProgress(task, name)), cancellationToken);
            });

    sealed class BarProgress(ProgressTask task, string name) : IProgress<TrainingReport>
    {
        public void Report(TrainingReport r)
        {
            // A phase's total repeats its only term ("R/L1" = "R/total"): show it only for phases with several.
            var terms = r.Losses
                .Where(kv => !kv.Key.EndsWith("/total") || r.Losses.Keys.Count(k => k.StartsWith(kv.Key[..^"total".Length])) > 2)
                .Select(kv => $"{kv.Key} {kv.Value:G3}");
            task.Description = Markup.Escape($"{name} step {r.Step}/{r.Steps} {string.Join(" ", terms)}");
            task.Value = r.Step;
        }
    }
}
