using System.CommandLine;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab train &lt;model&gt;</c>: the parent of the training commands, one file each.</summary>
public static class TrainCommand
{
    public static Command Create(CliConsole console) =>
        new("train", "Train a model (progress bar; Ctrl+C writes a checkpoint that --resume continues from).")
        {
            TrainWctDecoderCommand.Create(console),
        };
}
