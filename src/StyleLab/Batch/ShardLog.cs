using System.Text.Json;
using System.Text.Json.Serialization;

namespace StyleLab.Batch;

/// <summary>
/// A shard's log, <c>shard-i-of-N.jsonl</c> in the log folder: one <see cref="ShardLogRecord"/> per line, appended
/// and flushed record by record, so a killed process leaves every record it wrote; re-runs append.
/// </summary>
public sealed class ShardLog : IDisposable
{
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    readonly StreamWriter _writer;

    /// <summary>Opens (appends to) the log of <paramref name="shard"/> in <paramref name="folder"/>.</summary>
    public ShardLog(string folder, Shard shard)
    {
        Directory.CreateDirectory(folder);
        Path = System.IO.Path.Combine(folder, FileName(shard));
        _writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>The log's file name for <paramref name="shard"/>.</summary>
    public static string FileName(Shard shard) => $"shard-{shard.Index}-of-{shard.Count}.jsonl";

    /// <summary>Appends one record (one line, flushed).</summary>
    public void Append(ShardLogRecord record) => _writer.WriteLine(JsonSerializer.Serialize(record, Json));

    /// <summary>Every record of every shard log in <paramref name="folder"/>, with the shard each file is of; lines a killed writer cut off are skipped.</summary>
    public static IEnumerable<ShardLogRecord> ReadAll(string folder)
    {
        if (!Directory.Exists(folder)) yield break;
        foreach (var file in Directory.EnumerateFiles(folder, "shard-*-of-*.jsonl").Order(StringComparer.Ordinal))
            foreach (var line in File.ReadLines(file))
            {
                ShardLogRecord? record = null;
                try { record = JsonSerializer.Deserialize<ShardLogRecord>(line, Json); }
                catch (JsonException) { }
                if (record is not null) yield return record;
            }
    }

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();
}
