using System.Diagnostics;

namespace StyleLab.Tests.Cli;

/// <summary>
/// SIGTERM is what a scheduler's time limit, <c>kill</c> and <c>scancel</c> send: a training run must stop as it does
/// on Ctrl+C — the checkpoint of the last whole step written, exit 143 — so that <c>--resume</c> continues it. Only a
/// process of its own receives a real signal.
/// </summary>
public class CliSignalTests : IDisposable
{
    readonly string _run = Directory.CreateTempSubdirectory("stylelab-sigterm-").FullName;

    public void Dispose() => Directory.Delete(_run, recursive: true);

    [SkippableFact]
    public void SIGTERM_during_training_writes_the_checkpoint_and_resume_continues_from_it()
    {
        Skip.If(OperatingSystem.IsWindows(), "POSIX signals");
        Skip.If(TestPaths.SharedVgg is null || TestPaths.Shared is null, "../shared (VGG-19 weights, photos) is absent");
        string photos = Path.Combine(TestPaths.Shared!, "data", "content");
        string[] train = ["train", "wct-decoder", "--level", "1", "--content-dir", photos, "--batch", "1", "--crop", "32", "-o", _run, "--checkpoint-every", "0"];

        int stopped;
        var (process, errors) = Start([.. train, "--steps", "100000"]);
        using (process)
        {
            // Wait for a reported step: the run is then inside its loop, with whole steps to keep.
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null && !line.Contains(" step ")) { }
            Assert.NotNull(line);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) kill.WaitForExit();
            string rest = process.StandardOutput.ReadToEnd() + errors.Result;
            Assert.True(process.WaitForExit(60_000), "stylelab did not stop within a minute of SIGTERM");
            Assert.Equal(143, process.ExitCode);
            var said = System.Text.RegularExpressions.Regex.Match(rest, @"Stopped at step (\d+); checkpoint '.*' written");
            Assert.True(said.Success, rest);
            stopped = int.Parse(said.Groups[1].Value);
        }
        string checkpoint = Path.Combine(_run, "wct-decoder-relu1_1.checkpoint.safetensors");
        Assert.True(File.Exists(checkpoint), "no checkpoint after SIGTERM");

        var (resumed, _) = Start([.. train, "--steps", "100000", "--resume"]);
        using var _resumed = resumed;
        var lines = new List<string>();
        string? next;
        while ((next = resumed.StandardOutput.ReadLine()) is not null && !next.Contains("/100000")) lines.Add(next);   // up to the first progress line
        resumed.Kill();
        resumed.WaitForExit();
        Assert.Contains(lines, l => l.Contains($"resuming at step {stopped}"));
    }

    static (Process Process, Task<string> Errors) Start(string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "StyleLab.Cli")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        return (process, process.StandardError.ReadToEndAsync());   // drained, so a chatty stderr cannot block the run
    }
}
