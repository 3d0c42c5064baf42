namespace StyleLab.Batch;

/// <summary>What one run of a shard did: outputs written, items failed (with reasons), outputs already complete.</summary>
public sealed record BatchSummary(Shard Shard, int Items, int Done, int Skipped, IReadOnlyList<BatchFailure> Failures, TimeSpan Elapsed)
{
    /// <summary>Outputs written per second.</summary>
    public double ItemsPerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;
}

/// <summary>An item that failed, and why (the first line of the error).</summary>
public sealed record BatchFailure(BatchItem Item, string Reason);
