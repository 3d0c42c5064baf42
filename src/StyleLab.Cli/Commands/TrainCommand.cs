using System.CommandLine;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab train &lt;model&gt;</c>: the training commands of the learned models, one subcommand each.</summary>
public static class TrainCommand
{
    public static Command Create(CliConsole console) => new("train", "Train a style-transfer network.")
    {
        TrainCASTCommand.Create(console),
    };
}
