using System.CommandLine;
using Spectre.Console;
using StyleLab.Batch;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab batch status</c>: every shard's log merged with the output folder — done, failed (with reasons), pending; throughput per shard; the items to retry.</summary>
public static class BatchStatusCommand
{
    /// <summary>How many failures are listed (all of them go to --retry).</summary>
    const int Listed = 20;

    public static Command Create(CliConsole console)
    {
        var manifest = new Option<string>("--manifest", "-m") { Description = "The manifest the shards ran.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The output folder.", Required = true };
        var logDir = new Option<string?>("--log-dir") { Description = "Folder of the shard logs (default: OUTPUT/.stylelab-batch)." };
        var retry = new Option<string?>("--retry") { Description = "Write the failed and pending items to this manifest (.csv or .jsonl), to run again." };
        var command = new Command("status", "Merge the shard logs: done / failed (with reasons) / pending, throughput per shard, items to retry.")
        {
            manifest, output, logDir, retry,
        };
        command.SetAction(parse =>
        {
            var items = Manifest.Load(parse.GetValue(manifest)!);
            string folder = parse.GetValue(output)!;
            var status = BatchStatus.Read(items, folder, BatchCommand.LogFolder(folder, parse.GetValue(logDir)));
            console.Out.WriteLine($"{status.Items} items: {status.Done} done, {status.Failed.Count} failed, {status.Pending.Count} pending");
            var table = new Table().AddColumns("shard", "runs", "written", "seconds", "items/s");
            foreach (var s in status.Shards)
                table.AddRow(s.Shard.ToString(), s.Runs.ToString(), s.Written.ToString(), s.Seconds.ToString("F1"), s.ItemsPerSecond.ToString("F2"));
            if (status.Shards.Count > 0) console.Out.Write(table);
            foreach (var f in status.Failed.Take(Listed))
                console.Out.WriteLine($"failed: {f.Item.Output} ({f.Item.Content}): {f.Reason}");
            if (status.Failed.Count > Listed) console.Out.WriteLine($"… and {status.Failed.Count - Listed} more failed (--retry writes them all).");
            if (parse.GetValue(retry) is { } path)
            {
                Manifest.Save(path, status.ToRetry);
                console.Out.WriteLine($"Wrote {path}: {status.ToRetry.Count} items to retry.");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
