using StyleLab.Batch;
using StyleLab.Imaging;
using static TorchSharp.torch;

namespace StyleLab.Tests.Batch;

/// <summary>Shards of a small manifest through Johnson's fast network (../shared's ml5 wave) at 32 px.</summary>
public sealed class ShardRunTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-shardrun-").FullName;
    string Output => Path.Combine(_folder, "out");
    string Logs => Path.Combine(_folder, "logs");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Eight photos (random pixels, various sizes), one of them cut off half-way, each stylised by wave.</summary>
    List<BatchItem> Manifest(string network)
    {
        var items = new List<BatchItem>();
        manual_seed(3);
        for (int i = 0; i < 8; i++)
        {
            string content = Path.Combine(_folder, "in", $"p{i}.png");
            using (var image = rand(1, 3, 20 + 3 * i, 40 - 2 * i))
                ImageIO.Save(image, content);
            if (i == 5) File.WriteAllBytes(content, File.ReadAllBytes(content)[..60]);
            items.Add(new BatchItem(content, [network], "fast", $"sub{i % 2}/p{i}.png") { Size = 32 });
        }
        return items;
    }

    static string Network()
    {
        Skip.If(TestPaths.SharedFastStyle("wave") is null, "../shared/weights/fast-style-ml5/wave is absent");
        return TestPaths.SharedFastStyle("wave")!;
    }

    string[] TemporaryFiles() => Directory.Exists(Output)
        ? Directory.GetFiles(Output, "*", SearchOption.AllDirectories).Where(f => f.Contains(OutputFile.TemporaryMark)).ToArray() : [];

    [SkippableFact]
    public void A_corrupt_photo_is_logged_as_failed_and_every_other_item_is_written()
    {
        var items = Manifest(Network());
        var summary = ShardRun.Run(items, Shard.All, Output, Logs);
        Assert.Equal((8, 7, 0), (summary.Items, summary.Done, summary.Skipped));
        var failure = Assert.Single(summary.Failures);
        Assert.Equal("sub1/p5.png", failure.Item.Output);
        Assert.Contains("Truncated", failure.Reason);
        foreach (var item in items.Where(i => i.Output != "sub1/p5.png"))
            Assert.True(OutputFile.IsComplete(Path.Combine(Output, item.Output), item.Content, Resize.LongestSide(32)), item.Output);
        Assert.False(File.Exists(Path.Combine(Output, "sub1/p5.png")));
        Assert.Empty(TemporaryFiles());
        var logged = ShardLog.ReadAll(Logs).Single(r => r.Event == "failed");
        Assert.Equal(("sub1/p5.png", failure.Reason), (logged.Output, logged.Reason));
    }

    [SkippableFact]
    public void A_rerun_skips_complete_outputs_and_redoes_truncated_ones()
    {
        var items = Manifest(Network());
        ShardRun.Run(items, Shard.All, Output, Logs);
        string truncated = Path.Combine(Output, "sub0/p2.png"), kept = Path.Combine(Output, "sub1/p3.png");
        File.WriteAllBytes(truncated, File.ReadAllBytes(truncated)[..100]);
        var keptTime = File.GetLastWriteTimeUtc(kept);
        File.WriteAllText(OutputFile.TemporaryPath(Path.Combine(Output, "sub0/p4.png")), "a killed run's leftover");

        var again = ShardRun.Run(items, Shard.All, Output, Logs);
        Assert.Equal((1, 6, 1), (again.Done, again.Skipped, again.Failures.Count));
        Assert.True(OutputFile.IsComplete(truncated, items[2].Content, Resize.LongestSide(32)));
        Assert.Equal(keptTime, File.GetLastWriteTimeUtc(kept));
        Assert.Empty(TemporaryFiles());
    }

    [SkippableFact]
    public void Shards_write_disjoint_items_and_the_status_adds_up()
    {
        var items = Manifest(Network());
        var first = ShardRun.Run(items, new Shard(0, 3), Output, Logs);
        var status = BatchStatus.Read(items, Output, Logs);
        Assert.Equal(items.Count, status.Done + status.Failed.Count + status.Pending.Count);
        Assert.Equal(first.Done, status.Done);
        Assert.Equal(first.Failures.Count, status.Failed.Count);
        Assert.Equal(items.Count(i => !new Shard(0, 3).Contains(i)), status.Pending.Count);

        var rest = new[] { 1, 2 }.Select(i => ShardRun.Run(items, new Shard(i, 3), Output, Logs)).ToList();
        Assert.Equal(items.Count, first.Items + rest.Sum(r => r.Items));
        status = BatchStatus.Read(items, Output, Logs);
        Assert.Equal((7, 0), (status.Done, status.Pending.Count));
        Assert.Equal("sub1/p5.png", Assert.Single(status.Failed).Item.Output);
        Assert.Equal(["sub1/p5.png"], status.ToRetry.Select(i => i.Output));
        Assert.Equal(7, status.Shards.Sum(s => s.Written));
        Assert.All(status.Shards.Where(s => s.Written > 0), s => Assert.True(s.ItemsPerSecond > 0));
    }

    [SkippableFact]
    public void Cancelling_keeps_every_finished_output_and_leaves_no_temporary_file()
    {
        var items = Manifest(Network());
        using var cancel = new CancellationTokenSource();
        // Cancel once two outputs are written: the run stops before the next item.
        var progress = new Relay(p => { if (p.Done == 2) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => ShardRun.Run(items, Shard.All, Output, Logs, progress: progress, cancellationToken: cancel.Token));
        Assert.Equal(2, Directory.GetFiles(Output, "*.png", SearchOption.AllDirectories).Length);
        Assert.Empty(TemporaryFiles());
        Assert.True(ShardLog.ReadAll(Logs).Single(r => r.Event == "end").Cancelled);

        var resumed = ShardRun.Run(items, Shard.All, Output, Logs);
        Assert.Equal((5, 2, 1), (resumed.Done, resumed.Skipped, resumed.Failures.Count));
    }

    sealed class Relay(Action<BatchProgress> action) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => action(value);
    }
}
