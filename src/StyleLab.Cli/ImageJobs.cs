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
/// A folder goes on past an image that cannot be read or stylised; the failures (file and reason) are listed at
/// the end and the command fails (exit 1).
/// </summary>
public static class ImageJobs
{
    static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif"];

    /// <summary>
    /// A single image writes to <paramref name="output"/> (or into it, when it is a folder); a folder of
    /// images writes <c>&lt;name&gt;-&lt;suffix&gt;.png</c> into the output folder, created if needed.
    /// Outputs that exist are refused unless <paramref name="force"/>; an input never is replaced (<see cref="OutputFiles"/>).
    /// </summary>
    public static IReadOnlyList<ImageJob> Plan(string content, string output, string suffix, bool force = false)
    {
        if (File.Exists(content))
        {
            string target = Directory.Exists(output) ? Path.Combine(output, $"{Path.GetFileNameWithoutExtension(content)}-{suffix}.png") : output;
            OutputFiles.Check(target, force, content);
            return [new ImageJob(content, target)];
        }
        if (!Directory.Exists(content)) throw new UsageException($"--content '{content}' is neither an image file nor a folder.");
        if (File.Exists(output)) throw new UsageException($"--content is a folder, so --output must be a folder, but '{output}' is a file.");
        var images = Directory.EnumerateFiles(content)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal).ToList();
        if (images.Count == 0) throw new UsageException($"--content folder '{content}' holds no images ({string.Join(", ", Extensions)}).");
        var jobs = images.Select(f => new ImageJob(f, Path.Combine(output, $"{Path.GetFileNameWithoutExtension(f)}-{suffix}.png"))).ToList();
        OutputFiles.Check(jobs.Select(j => j.Output).ToList(), force, images);
        return jobs;
    }

    /// <summary>
    /// Refuses an <paramref name="output"/> that is one of the <paramref name="inputs"/> (the same file, however
    /// the paths are spelled, links followed): writing the result would destroy a photo the user still has no copy of.
    /// Every command that writes an image calls this with all the files it reads.
    /// </summary>
    /// <exception cref="UsageException">The output is an input.</exception>
    public static void RefuseToOverwrite(string output, params IEnumerable<string?> inputs)
    {
        string target = Canonical(output);
        foreach (var input in inputs)
            if (input is not null && File.Exists(input) && string.Equals(Canonical(input), target, StringComparison.Ordinal))
                throw new UsageException($"--output '{output}' is the input image '{input}': refusing to overwrite an input. Choose another output file.");
    }

    static string Canonical(string path)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : full;
    }

    /// <summary>Runs <paramref name="stylise"/> on every job behind a progress bar; returns the time spent.</summary>
    public static async Task<TimeSpan> RunAsync(CliConsole console, IReadOnlyList<ImageJob> jobs, ImageLoadOptions load, Device device,
        Func<Tensor, Tensor> stylise, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var failures = new List<(ImageJob, Exception)>();
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
                        try { Run(job, load, device, stylise); }
                        // A folder goes on past an image that fails; a single image fails as itself.
                        catch (Exception e) when (jobs.Count > 1 && e is not OperationCanceledException) { failures.Add((job, e)); }
                        task.Increment(1);
                    }
                }, cancellationToken);
                task.Description = failures.Count == 0 ? "done" : $"done, {failures.Count} failed";
            });
        ThrowIfAnyFailed(console, jobs, failures);
        return clock.Elapsed;
    }

    static void Run(ImageJob job, ImageLoadOptions load, Device device, Func<Tensor, Tensor> stylise)
    {
        using var scope = NewDisposeScope();
        var result = stylise(ImageIO.Load(job.Input, load, device));
        string? folder = Path.GetDirectoryName(Path.GetFullPath(job.Output));
        if (folder is not null) Directory.CreateDirectory(folder);
        ImageIO.Save(result, job.Output);
    }

    /// <summary>Lists every failed image (file and reason) and fails the command when there is any.</summary>
    /// <exception cref="ImageBatchException">Some images failed; the others were written.</exception>
    public static void ThrowIfAnyFailed(CliConsole console, IReadOnlyList<ImageJob> jobs, IReadOnlyList<(ImageJob Job, Exception Error)> failures)
    {
        if (failures.Count == 0) return;
        foreach (var (job, error) in failures)
            console.Error.WriteLine($"failed: {job.Input}: {FirstLine(error.Message)}");
        throw new ImageBatchException(
            $"{failures.Count} of {jobs.Count} images failed (listed above); the other {jobs.Count - failures.Count} were written.");
    }

    static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>One line for the end of a run.</summary>
    public static void Print(CliConsole console, IReadOnlyList<ImageJob> jobs, TimeSpan elapsed)
    {
        string what = jobs.Count == 1 ? Path.GetFullPath(jobs[0].Output) : $"{jobs.Count} images to {Path.GetDirectoryName(Path.GetFullPath(jobs[0].Output))}";
        console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(what)}[/] in {elapsed.TotalSeconds:F1} s ({elapsed.TotalMilliseconds / jobs.Count:F0} ms per image, loading and saving included).");
    }
}

/// <summary>Some images of a folder failed; the others were written. Each failure was listed on standard error.</summary>
public sealed class ImageBatchException(string message) : Exception(message);
