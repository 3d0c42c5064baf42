using Spectre.Console;

namespace StyleLab.Cli;

/// <summary>Where a command writes: results and progress to <see cref="Out"/>, the one-line errors to <see cref="Error"/>.</summary>
/// <param name="Out">Rich output (tables, progress bars); plain text when redirected.</param>
/// <param name="Error">Standard error.</param>
public sealed record CliConsole(IAnsiConsole Out, TextWriter Error)
{
    /// <summary>Columns when output goes to a file or pipe: wide enough that table rows do not wrap.</summary>
    const int RedirectedWidth = 200;

    /// <summary>The process's terminal.</summary>
    public static CliConsole System
    {
        get
        {
            var console = AnsiConsole.Console;
            if (global::System.Console.IsOutputRedirected) console.Profile.Width = RedirectedWidth;
            return new(console, global::System.Console.Error);
        }
    }

    /// <summary>Plain text into writers, for tests and pipes: no colours, no live rendering.</summary>
    public static CliConsole Plain(TextWriter output, TextWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = RedirectedWidth;
        return new(console, error);
    }
}
