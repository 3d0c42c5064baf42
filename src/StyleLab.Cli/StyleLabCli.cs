using System.CommandLine;
using System.CommandLine.Help;
using StyleLab.Cli.Commands;

namespace StyleLab.Cli;

/// <summary>
/// The <c>stylelab</c> command line: builds the command tree, runs one invocation and turns every
/// failure into one <c>error: …</c> line and an exit code (<see cref="ExitCodes"/>). With
/// <c>--verbose</c> the full exception follows.
/// </summary>
public static class StyleLabCli
{
    /// <summary>The command tree.</summary>
    public static Command Build(CliConsole console)
    {
        // A plain command rather than RootCommand, whose name would be the executable's (StyleLab.Cli).
        var root = new Command("stylelab", "StyleLab: neural style transfer on TorchSharp.");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Options.Add(GlobalOptions.Verbose);
        root.Subcommands.Add(GatysCommand.Create(console));
        root.Subcommands.Add(FastCommand.Create(console));
        root.Subcommands.Add(ArbitraryCommand.Create(console));
        root.Subcommands.Add(AnalogyCommand.Create(console));
        root.Subcommands.Add(SaaeCommand.Create(console));
        root.Subcommands.Add(SANetCommand.Create(console));
        root.Subcommands.Add(CastCommand.Create(console));
        root.Subcommands.Add(AdaINCommand.Create(console));
        root.Subcommands.Add(WctCommand.Create(console));
        root.Subcommands.Add(TrainCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(WeightsCommand.Create(console));
        root.Subcommands.Add(InfoCommand.Create(console));
        root.Subcommands.Add(BenchCommand.Create(console));
        root.Subcommands.Add(KernelCommand.Create(console));
        root.Subcommands.Add(QuiltCommand.Create(console));
        root.Subcommands.Add(ImageAnalogyCommand.Create(console));
        root.Subcommands.Add(CompareCommand.Create(console));
        root.Subcommands.Add(BatchCommand.Create(console));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = Build(console);
        var parse = root.Parse(args);
        bool verbose = parse.GetValue(GlobalOptions.Verbose);
        if (args.Length == 0)
        {
            await root.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = console.Out.Profile.Out.Writer });
            return ExitCodes.Usage;
        }
        if (parse.Errors.Count > 0)
        {
            // One line, as for every other bad input; --help shows the usage. An unknown token says
            // more than the "required command" error that comes with it.
            var error = parse.Errors.OrderBy(e => e.Message.StartsWith("Unrecognized") ? 0 : 1).First();
            console.Error.WriteLine($"error: {OneLine(error.Message)} (see `{CommandPath(parse)} --help`)");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = console.Out.Profile.Out.Writer,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // Program owns Ctrl+C: it cancels the token below
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine("error: cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            var error = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e;
            console.Error.WriteLine($"error: {FirstLine(error.Message)}");
            if (verbose) console.Error.WriteLine(error);
            return ExitCodes.For(error);
        }
    }

    static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }

    /// <summary>Some parser messages list choices on separate lines: join them.</summary>
    static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>libtorch errors carry a C++ backtrace after the first line: the first line is the message.</summary>
    static string FirstLine(string message)
    {
        int end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
