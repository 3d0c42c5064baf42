using System.CommandLine;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab train &lt;model&gt;</c>: the learned models' training runs, one subcommand each.</summary>
public static class TrainCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("train", "Train a model (checkpoints every N steps and on Ctrl+C; --resume continues bit-exactly).");
        command.Subcommands.Add(TrainAdaINCommand.Create(console));
        return command;
    }
}
