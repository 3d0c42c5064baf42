namespace StyleLab.Batch;

/// <summary>Where a shard's run stands: items written, failed and found complete so far, of <see cref="Total"/>.</summary>
public sealed record BatchProgress(int Done, int Failed, int Skipped, int Total, string? Current, TimeSpan Elapsed)
{
    /// <summary>Items handled (written, failed or skipped).</summary>
    public int Handled => Done + Failed + Skipped;

    /// <summary>Outputs written per second of this run.</summary>
    public double ItemsPerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;
}
