using System.CommandLine;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab train &lt;model&gt;</c>: the parent of the training commands, one file each.</summary>
public static class TrainCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("train", "Train a learned style-transfer model on folders of content and style images.");
        command.Subcommands.Add(TrainSANetCommand.Create(console));
        return command;
    }
}
