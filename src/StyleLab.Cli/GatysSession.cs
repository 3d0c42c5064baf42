using Spectre.Console;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.Gatys;
using static TorchSharp.torch;

namespace StyleLab.Cli;

/// <summary>Runs <see cref="Gatys.Run"/> behind a progress bar showing the step and the live loss, then saves the image.</summary>
public static class GatysSession
{
    public static async Task<GatysSummary> RunAsync(CliConsole console, Vgg19Encoder encoder, Tensor content, Tensor style,
        GatysOptions options, string output, CancellationToken cancellationToken)
    {
        var losses = new LossTracker();
        var elapsed = await console.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("starting", maxValue: options.Steps * options.PyramidLevels);
                var progress = new BarProgress(task, losses);
                // Gatys.Run is synchronous: run it off the caller's thread so the bar can render.
                using var result = await Task.Run(() => Gatys.Run(encoder, content, style, options, progress: progress, cancellationToken: cancellationToken), cancellationToken);
                task.Value = task.MaxValue;
                string folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
                Directory.CreateDirectory(folder);
                ImageIO.Save(result.Image, output);
                return result.Elapsed;
            });
        return new GatysSummary(Path.GetFullPath(output), losses.First, losses.Last, losses.Steps, elapsed);
    }

    /// <summary>One line for the end of a run: output, loss drop and time.</summary>
    public static void Print(CliConsole console, GatysSummary s)
    {
        double drop = s.FirstLoss > 0 ? s.FirstLoss / Math.Max(s.LastLoss, double.Epsilon) : double.NaN;
        console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(s.Output)}[/]: loss {s.FirstLoss:G4} → {s.LastLoss:G4} " +
            $"({drop:F1}× lower) in {s.Steps} steps, {s.Elapsed.TotalSeconds:F1} s.");
    }

    sealed class LossTracker
    {
        public double First = double.NaN, Last = double.NaN;
        public int Steps;
    }

    sealed class BarProgress(ProgressTask task, LossTracker losses) : IProgress<GatysReport>
    {
        public void Report(GatysReport r)
        {
            r.Preview?.Dispose(); // the CLI shows no previews; the receiver owns them
            if (double.IsNaN(losses.First)) losses.First = r.Total;
            losses.Last = r.Total;
            losses.Steps = r.Step;
            string level = r.Levels > 1 ? $"level {r.Level}/{r.Levels} " : "";
            task.Description = $"{level}step {r.Step}/{r.TotalSteps} loss {r.Total:G4}";
            task.Value = r.Step;
        }
    }
}
