using System.CommandLine;

namespace StyleLab.Cli;

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    /// <summary>Full exception traces instead of one-line errors.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show full error details (stack traces) and extra diagnostics.",
        Recursive = true,
    };

    /// <summary>The torch device: cpu, cuda, cuda:1, auto.</summary>
    public static Option<string> Device() => new("--device")
    {
        Description = "Device to compute on: cpu, cuda, cuda:N or auto.",
        DefaultValueFactory = _ => "cpu",
    };
}
