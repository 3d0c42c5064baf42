using System.CommandLine;
using Spectre.Console;
using StyleLab.Batch;
using StyleLab.Runtime;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab batch run</c>: one shard of a manifest — the shard from <c>--shard i/N</c>, or from the scheduler's
/// environment (Slurm's <c>SLURM_ARRAY_TASK_ID</c>, Kubernetes' <c>JOB_COMPLETION_INDEX</c>; <see cref="Shard.FromEnvironment"/>).
/// Exit 0 when every item of the shard is done, 1 when some failed (each logged with its reason), 130/143 when stopped.
/// </summary>
public static class BatchRunCommand
{
    public static Command Create(CliConsole console)
    {
        var manifest = new Option<string>("--manifest", "-m") { Description = "The manifest (.csv or .jsonl; `stylelab batch plan` writes one).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The output folder; the manifest's outputs are relative to it.", Required = true };
        var shard = new Option<string?>("--shard") { Description = "This process's shard, i/N (default: from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, else the whole manifest)." };
        var shards = new Option<int?>("--shards") { Description = "The number of shards when the index comes from the scheduler (required with JOB_COMPLETION_INDEX; with Slurm, the task id is then the index)." };
        var logDir = new Option<string?>("--log-dir") { Description = "Folder of the shard logs (default: OUTPUT/.stylelab-batch)." };
        var weights = new Option<string[]>("--weights") { Description = "Weights of a method by role, METHOD:ROLE=FILE, e.g. adain:decoder=run/decoder.pth; repeat.", AllowMultipleArgumentsPerToken = true };
        var download = new Option<bool>("--download") { Description = "Download registered weights found nowhere (default: offline)." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads of libtorch (default: SLURM_CPUS_PER_TASK when Slurm sets it, else libtorch's choice)." };
        var device = GlobalOptions.Device();
        var command = new Command("run", "Run one shard of a manifest: skip complete outputs, write each new one atomically, log failures and go on.")
        {
            manifest, output, shard, shards, logDir, weights, download, threads, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            var which = Which(parse.GetValue(shard), parse.GetValue(shards));
            // A task given some CPUs of a shared node should not start a thread per core of the node.
            if ((parse.GetValue(threads) ?? SlurmCpus()) is int n)
                TorchSharp.torch.set_num_threads(n >= 1 ? n : throw new UsageException($"--threads must be at least 1, not {n}."));
            var items = Manifest.Load(parse.GetValue(manifest)!);
            string folder = parse.GetValue(output)!;
            string logs = BatchCommand.LogFolder(folder, parse.GetValue(logDir));
            var options = new BatchRunOptions
            {
                Device = TorchRuntime.ParseDevice(parse.GetValue(device)),
                Weights = CompareCommand.ParseWeights(parse.GetValue(weights) ?? [])
                    .ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)kv.Value),
                Download = parse.GetValue(download),
            };
            var summary = await BatchBar.RunAsync(console, $"shard {which}",
                progress => ShardRun.Run(items, which, folder, logs, options, progress, ct), ct);
            foreach (var f in summary.Failures)
                console.Error.WriteLine($"failed: {f.Item.Output} ({f.Item.Content}): {f.Reason}");
            console.Out.WriteLine($"shard {which}: {summary.Items} items — {summary.Done} written, {summary.Skipped} already complete, " +
                $"{summary.Failures.Count} failed; {summary.ItemsPerSecond:F2} items/s over {summary.Elapsed.TotalSeconds:F1} s. Log: {Path.Combine(logs, ShardLog.FileName(which))}");
            return summary.Failures.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    static int? SlurmCpus() => int.TryParse(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK"), out int n) && n >= 1 ? n : null;

    static Shard Which(string? shard, int? shards)
    {
        try
        {
            if (shard is null) return Shard.FromEnvironment(Environment.GetEnvironmentVariable, shards);
            var given = Shard.Parse(shard);
            if (shards is int n && n != given.Count) throw new ArgumentException($"--shard {shard} and --shards {n} disagree.");
            return given;
        }
        catch (Exception e) when (e is FormatException or ArgumentException) { throw new UsageException($"--shard: {e.Message}"); }
    }
}
