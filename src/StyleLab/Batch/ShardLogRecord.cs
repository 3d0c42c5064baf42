namespace StyleLab.Batch;

/// <summary>
/// One line of a shard's JSON Lines log. <see cref="Event"/> is <c>start</c> (a run of the shard began: its
/// <see cref="Items"/>, host and process), <c>done</c> (an output written, in <see cref="Seconds"/>), <c>failed</c>
/// (with the <see cref="Reason"/>), or <c>end</c> (the run's counts; <see cref="Cancelled"/> when it was stopped).
/// A killed run has no <c>end</c>; its last record still dates its work.
/// </summary>
public sealed record ShardLogRecord(string Event, DateTimeOffset Time, int Shard, int Shards)
{
    public string? Output { get; init; }
    public string? Content { get; init; }
    public string? Reason { get; init; }
    public double? Seconds { get; init; }
    public int? Items { get; init; }
    public int? Done { get; init; }
    public int? Failed { get; init; }
    public int? Skipped { get; init; }
    public string? Host { get; init; }
    public int? Pid { get; init; }
    public bool? Cancelled { get; init; }
}
