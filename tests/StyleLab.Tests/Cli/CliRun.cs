using StyleLab.Cli;

namespace StyleLab.Tests.Cli;

/// <summary>One in-process run of the command line: exit code, standard output and standard error.</summary>
sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> InvokeAsync(params string[] args) => await InvokeAsync(CancellationToken.None, args);

    public static async Task<CliRun> InvokeAsync(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await StyleLabCli.RunAsync(args, CliConsole.Plain(output, error), cancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Standard error's lines (without the trailing empty one).</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
