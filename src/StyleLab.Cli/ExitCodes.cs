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
}
