using Spectre.Console;
using StyleLab.Assets;

namespace StyleLab.Cli;

/// <summary>Shows downloads as Spectre progress bars (bytes, speed, time left).</summary>
public static class DownloadBar
{
    /// <summary>Runs <paramref name="work"/> with a progress bar fed by its <see cref="DownloadProgress"/> reports.</summary>
    public static Task<T> RunAsync<T>(IAnsiConsole console, string label, Func<IProgress<DownloadProgress>, Task<T>> work) =>
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: 1);
                var result = await work(new Reporter(task));
                task.Value = task.MaxValue;
                return result;
            });

    sealed class Reporter(ProgressTask task) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value)
        {
            if (value.TotalBytes is > 0 && task.MaxValue != value.TotalBytes) task.MaxValue = value.TotalBytes.Value;
            task.Value = value.BytesReceived;
        }
    }
}
