using Spectre.Console;

namespace StyleLab.Cli;

/// <summary>Where a command writes: results and progress to <see cref="Out"/>, the one-line errors to <see cref="Error"/>.</summary>
/// <param name="Out">Rich output (tables, progress bars); plain text when redirected.</param>
/// <param name="Error">Standard error.</param>
public sealed record CliConsole(IAnsiConsole Out, TextWriter Error)
{
    /// <summary>The process's terminal.</summary>
    public static CliConsole System => new(AnsiConsole.Console, global::System.Console.Error);

    /// <summary>Plain text into writers, for tests and pipes: no colours, no live rendering.</summary>
    public static CliConsole Plain(TextWriter output, TextWriter error) => new(
        AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        }),
        error);
}
