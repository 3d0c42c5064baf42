using StyleLab.Imaging;
using StyleLab.Weights;

namespace StyleLab.Cli;

/// <summary>The process exit codes of <c>stylelab</c>.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The work failed: a missing or corrupt file, weights not found, a failed check.</summary>
    public const int Failure = 1;
    /// <summary>The command line could not be parsed or an option value is invalid.</summary>
    public const int Usage = 2;
    /// <summary>Interrupted by Ctrl+C (128 + SIGINT, the shell convention).</summary>
    public const int Cancelled = 130;
    /// <summary>Stopped by SIGTERM (128 + SIGTERM), after the same clean-up as Ctrl+C (a training run writes its checkpoint).</summary>
    public const int Terminated = 143;

    /// <summary>
    /// The exit code of a command that failed with <paramref name="error"/>: <see cref="Usage"/> only for a wrong
    /// command line; a file that cannot be read is a <see cref="Failure"/> even where a command reported it as a
    /// usage error, because the user must fix the file, not the command line.
    /// </summary>
    public static int For(Exception error) => error switch
    {
        UsageException when error.Message.StartsWith(WeightFileException.MessagePrefix, StringComparison.Ordinal) => Failure,
        UsageException { InnerException: WeightFileException or ImageFileException } => Failure,
        UsageException => Usage,
        _ => Failure,
    };
}
