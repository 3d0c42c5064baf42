namespace StyleLab.Kernel;

/// <summary>
/// The kernel's own diagnostics. They go to the process's real stderr (the terminal running
/// Jupyter), captured before <see cref="ConsoleCapture"/> redirects Console for the cells.
/// </summary>
static class Log
{
    static readonly TextWriter Sink = TextWriter.Synchronized(
        new StreamWriter(Console.OpenStandardError()) { AutoFlush = true });

    public static void Info(string message) => Sink.WriteLine($"[stylelab-kernel] {message}");

    public static void Warn(string message) => Sink.WriteLine($"[stylelab-kernel] warning: {message}");
}
