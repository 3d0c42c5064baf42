namespace StyleLab.Batch;

/// <summary>
/// Where a whole batch stands, from the manifest, the output folder and every shard's log: each item is done (its
/// output is in place — the final name only ever appears by an atomic rename), failed (no output, and its latest
/// log record is a failure: the reason), or pending (neither). Done + failed + pending = the manifest's items.
/// Throughput per shard is outputs written per second of the shard's runs (a run lasts from its start record to
/// its last record, so a killed run counts up to its last item).
/// </summary>
public sealed record BatchStatus(int Items, int Done, IReadOnlyList<BatchFailure> Failed, IReadOnlyList<BatchItem> Pending, IReadOnlyList<ShardThroughput> Shards)
{
    /// <summary>The items to run again: the failed ones, then the pending ones.</summary>
    public IReadOnlyList<BatchItem> ToRetry => [.. Failed.Select(f => f.Item), .. Pending];

    /// <summary>Reads the status of <paramref name="manifest"/> written to <paramref name="outputFolder"/> with logs in <paramref name="logFolder"/>.</summary>
    public static BatchStatus Read(IReadOnlyList<BatchItem> manifest, string outputFolder, string logFolder)
    {
        var records = ShardLog.ReadAll(logFolder).ToList();
        var latest = new Dictionary<string, ShardLogRecord>(StringComparer.Ordinal);
        foreach (var r in records.Where(r => r.Output is not null && r.Event is "done" or "failed").OrderBy(r => r.Time))
            latest[r.Output!] = r;
        int done = 0;
        var failed = new List<BatchFailure>();
        var pending = new List<BatchItem>();
        foreach (var item in manifest)
        {
            if (File.Exists(Path.Combine(outputFolder, item.Output))) done++;
            else if (latest.TryGetValue(item.Output, out var r) && r.Event == "failed") failed.Add(new BatchFailure(item, r.Reason ?? "no reason logged"));
            else pending.Add(item);
        }
        return new BatchStatus(manifest.Count, done, failed, pending, Throughput(records));
    }

    static List<ShardThroughput> Throughput(IEnumerable<ShardLogRecord> records) => records
        .GroupBy(r => (r.Shard, r.Shards))
        .Select(g =>
        {
            int written = 0, runs = 0;
            double seconds = 0;
            DateTimeOffset? start = null, last = null;
            void Close()
            {
                if (start is { } s && last is { } l) seconds += (l - s).TotalSeconds;
            }
            foreach (var r in g.OrderBy(r => r.Time))
            {
                if (r.Event == "start") { Close(); start = r.Time; runs++; }
                if (r.Event == "done") written++;
                last = r.Time;
            }
            Close();
            return new ShardThroughput(new Shard(g.Key.Shard, g.Key.Shards), runs, written, seconds);
        })
        .OrderBy(t => t.Shard.Count).ThenBy(t => t.Shard.Index).ToList();
}

/// <summary>One shard's runs: how many, outputs written, seconds spent, outputs per second.</summary>
public sealed record ShardThroughput(Shard Shard, int Runs, int Written, double Seconds)
{
    /// <summary>Outputs written per second.</summary>
    public double ItemsPerSecond => Seconds > 0 ? Written / Seconds : 0;
}
