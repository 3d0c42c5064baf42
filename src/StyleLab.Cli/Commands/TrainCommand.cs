using System.CommandLine;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab train &lt;model&gt;</c>: trains a learned model; one subcommand per model, each in its own file.</summary>
public static class TrainCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("train", "Train a model (checkpoints are atomic; --resume continues exactly).");
        command.Subcommands.Add(TrainAdaINCommand.Create(console));
        command.Subcommands.Add(TrainWctDecoderCommand.Create(console));
        command.Subcommands.Add(TrainSANetCommand.Create(console));
        command.Subcommands.Add(TrainCASTCommand.Create(console));
        command.Subcommands.Add(TrainSaaeCommand.Create(console));
        return command;
    }
}
