using System.Diagnostics;

namespace StyleLab.Video;

/// <summary>
/// Where the <c>ffmpeg</c> and <c>ffprobe</c> programs are (Debian: <c>apt-get install ffmpeg</c>), and how StyleLab
/// starts them: arguments as a list (no shell), stderr drained in the background (its last lines name the problem
/// when one fails), and in a session of their own, so a Ctrl+C in the terminal reaches StyleLab only — StyleLab then
/// closes the encoder's input cleanly and the file it wrote so far stays playable.
/// </summary>
public static class Ffmpeg
{
    /// <summary>The program's path on PATH, or null.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    /// <summary>Whether both ffmpeg and ffprobe are installed.</summary>
    public static bool IsAvailable => Find("ffmpeg") is not null && Find("ffprobe") is not null;

    /// <summary>The program's path.</summary>
    /// <exception cref="FileNotFoundException">It is not installed; the message says how to install it.</exception>
    public static string Require(string program) => Find(program) ?? throw new FileNotFoundException(
        $"'{program}' was not found on PATH: video needs FFmpeg. On Debian/Ubuntu: sudo apt-get install ffmpeg " +
        "(macOS: brew install ffmpeg; Windows: winget install ffmpeg).", program);

    /// <summary>Starts <paramref name="program"/> with <paramref name="arguments"/>; stdout/stdin redirected as asked.</summary>
    internal static FfmpegProcess Start(string program, IEnumerable<string> arguments, bool writeInput, bool readOutput)
    {
        string path = Require(program);
        // setsid: a session of its own, out of the terminal's reach (see the class remarks); where it is missing, plain.
        string? setsid = OperatingSystem.IsLinux() ? Find("setsid") : null;
        var info = new ProcessStartInfo(setsid ?? path)
        {
            RedirectStandardInput = writeInput,
            RedirectStandardOutput = readOutput,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (setsid is not null) info.ArgumentList.Add(path);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new IOException($"Could not start {path}.");
        return new FfmpegProcess(process, program);
    }
}

/// <summary>A running ffmpeg or ffprobe, its stderr kept (the last lines) for error messages.</summary>
internal sealed class FfmpegProcess : IDisposable
{
    readonly Queue<string> _errors = new();
    readonly string _program;

    public Process Process { get; }

    public FfmpegProcess(Process process, string program)
    {
        Process = process;
        _program = program;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_errors)
            {
                _errors.Enqueue(e.Data);
                while (_errors.Count > 8) _errors.Dequeue();
            }
        };
        process.BeginErrorReadLine();
    }

    /// <summary>The last lines ffmpeg wrote to stderr, joined.</summary>
    public string Errors
    {
        get { lock (_errors) return string.Join(" | ", _errors.Where(l => l.Trim().Length > 0)); }
    }

    /// <summary>Waits for the exit; throws with stderr's last lines when it failed.</summary>
    public void WaitForSuccess(string what)
    {
        Process.WaitForExit();
        if (Process.ExitCode != 0)
            throw new IOException($"{_program} failed {what} (exit {Process.ExitCode}): {Errors}");
    }

    public void Kill()
    {
        try { if (!Process.HasExited) Process.Kill(); } catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }
}
