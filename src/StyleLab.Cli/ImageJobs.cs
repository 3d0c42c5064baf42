using System.Diagnostics;
using Spectre.Console;
using StyleLab.Imaging;
using static TorchSharp.torch;

namespace StyleLab.Cli;

/// <summary>One input image and where its result goes.</summary>
public sealed record ImageJob(string Input, string Output);

/// <summary>
/// The file-or-folder side of the feed-forward commands: <c>--content</c> is an image or a folder of
/// images, <c>--output</c> a file or a folder; each image is loaded, stylised and saved in its own
/// dispose scope (so a folder of a thousand photos runs in constant memory), behind a progress bar.
/// </summary>
public static class ImageJobs
{
    static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif"];

    /// <summary>
    /// A single image writes to <paramref name="output"/> (or into it, when it is a folder); a folder of
    /// images writes <c>&lt;name&gt;-&lt;suffix&gt;.png</c> into the output folder, created if needed.
    /// </summary>
    public static IReadOnlyList<ImageJob> Plan(string content, string output, string suffix)
    {
        if (File.Exists(content))
        {
            string target = Directory.Exists(output) ? Path.Combine(output, $"{Path.GetFileNameWithoutExtension(content)}-{suffix}.png") : output;
            return [new ImageJob(content, target)];
        }
        if (!Directory.Exists(content)) throw new UsageException($"--content '{content}' is neither an image file nor a folder.");
        if (File.Exists(output)) throw new UsageException($"--content is a folder, so --output must be a folder, but '{output}' is a file.");
        var images = Directory.EnumerateFiles(content)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToList();
        if (images.Count == 0) throw new UsageException($"--content folder '{content}' holds no images ({string.Join(", ", Extensions)}).");
        return images.Select(f => new ImageJob(f, Path.Combine(output, $"{Path.GetFileNameWithoutExtension(f)}-{suffix}.png"))).ToList();
    }

    /// <summary>Runs <paramref name="stylise"/> on every job behind a progress bar; returns the time spent.</summary>
    public static async Task<TimeSpan> RunAsync(CliConsole console, IReadOnlyList<ImageJob> jobs, ImageLoadOptions load, Device device,
        Func<Tensor, Tensor> stylise, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await console.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("stylising", maxValue: jobs.Count);
                // The work is synchronous tensor code: run it off the caller's thread so the bar renders.
                await Task.Run(() =>
                {
                    foreach (var (job, i) in jobs.Select((j, i) => (j, i)))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        task.Description = $"{i + 1}/{jobs.Count} {Markup.Escape(Path.GetFileName(job.Input))}";
                        using var scope = NewDisposeScope();
                        var result = stylise(ImageIO.Load(job.Input, load, device));
                        string? folder = Path.GetDirectoryName(Path.GetFullPath(job.Output));
                        if (folder is not null) Directory.CreateDirectory(folder);
                        ImageIO.Save(result, job.Output);
                        task.Increment(1);
                    }
                }, cancellationToken);
                task.Description = "done";
            });
        return clock.Elapsed;
    }

    /// <summary>One line for the end of a run.</summary>
    public static void Print(CliConsole console, IReadOnlyList<ImageJob> jobs, TimeSpan elapsed)
    {
        string what = jobs.Count == 1 ? Path.GetFullPath(jobs[0].Output) : $"{jobs.Count} images to {Path.GetDirectoryName(Path.GetFullPath(jobs[0].Output))}";
        console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(what)}[/] in {elapsed.TotalSeconds:F1} s ({elapsed.TotalMilliseconds / jobs.Count:F0} ms per image, loading and saving included).");
    }
}
