using System.CommandLine;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab batch plan|run|status</c>: stylise a dataset on a cluster's own scheduler (Slurm job arrays, Kubernetes
/// Indexed Jobs) — plan a manifest once, run one shard per task, read the merged status. The work is
/// <see cref="StyleLab.Batch.ShardRun"/>'s; these commands only bind options and show progress.
/// </summary>
public static class BatchCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("batch", "Stylise a dataset: sharded across a cluster's tasks, resumable, each output written exactly once.");
        command.Subcommands.Add(BatchPlanCommand.Create(console));
        command.Subcommands.Add(BatchRunCommand.Create(console));
        command.Subcommands.Add(BatchStatusCommand.Create(console));
        return command;
    }

    /// <summary>The shard logs' folder: <c>--log-dir</c>, else <c>.stylelab-batch</c> in the output folder.</summary>
    public static string LogFolder(string output, string? logDir) => logDir ?? Path.Combine(output, ".stylelab-batch");
}
