using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace StyleLab.Batch;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/>. An item belongs to the shard <c>xxHash64(output path, UTF-8) mod
/// Count</c>: a pure function of the item's own output path, so the shards partition any manifest, every run and
/// every machine agree, and adding lines to a manifest never moves an existing item to another shard.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole manifest as one shard.</summary>
    public static Shard All => new(0, 1);

    /// <summary>The shard an item with output <paramref name="output"/> belongs to, among <paramref name="count"/>.</summary>
    public static int Of(string output, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ulong hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(Manifest.NormaliseOutput(output)));
        return (int)(hash % (ulong)count);
    }

    /// <summary>Whether <paramref name="item"/> is this shard's.</summary>
    public bool Contains(BatchItem item) => Of(item.Output, Count) == Index;

    /// <summary>This shard's items, in manifest order.</summary>
    public IReadOnlyList<BatchItem> Select(IEnumerable<BatchItem> items) => items.Where(Contains).ToList();

    /// <summary>Parses <c>i/N</c> (0 ≤ i &lt; N).</summary>
    /// <exception cref="FormatException">Not of that form.</exception>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && i < n)
            return new Shard(i, n);
        throw new FormatException($"'{text}' is not a shard i/N with 0 ≤ i < N (e.g. 3/16).");
    }

    /// <summary>
    /// The shard a scheduler gave this process. Kubernetes Indexed Jobs set <c>JOB_COMPLETION_INDEX</c>; the count
    /// is <paramref name="shards"/> (required). Slurm job arrays set <c>SLURM_ARRAY_TASK_ID</c>: with
    /// <paramref name="shards"/> the task id is the index (so <c>sbatch --array=5</c> re-runs shard 5 alone);
    /// without it the array must be contiguous and its size is the count (index = id − MIN, count = MAX − MIN + 1,
    /// which must equal <c>SLURM_ARRAY_TASK_COUNT</c>). Neither set: the whole manifest, or shard 0 of
    /// <paramref name="shards"/> is an error.
    /// </summary>
    /// <exception cref="ArgumentException">The variables are missing, malformed, or out of range.</exception>
    public static Shard FromEnvironment(Func<string, string?> variable, int? shards)
    {
        if (shards is < 1) throw new ArgumentException($"--shards must be at least 1, not {shards}.");
        int? Read(string name)
        {
            var text = variable(name);
            if (string.IsNullOrEmpty(text)) return null;
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
                ? v : throw new ArgumentException($"{name}='{text}' is not a non-negative integer.");
        }
        Shard Checked(int index, int count, string source) => index < count
            ? new Shard(index, count)
            : throw new ArgumentException($"{source} gives shard {index}, but there are only {count} shards (0 … {count - 1}).");

        if (Read("JOB_COMPLETION_INDEX") is int k8s)
            return Checked(k8s, shards ?? throw new ArgumentException("JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): give --shards N, the Job's completions."), "JOB_COMPLETION_INDEX");
        if (Read("SLURM_ARRAY_TASK_ID") is int task)
        {
            if (shards is int n) return Checked(task, n, "SLURM_ARRAY_TASK_ID");
            int min = Read("SLURM_ARRAY_TASK_MIN") ?? 0;
            int count = Read("SLURM_ARRAY_TASK_COUNT") ?? throw new ArgumentException("SLURM_ARRAY_TASK_ID is set without SLURM_ARRAY_TASK_COUNT: give --shards N.");
            int max = Read("SLURM_ARRAY_TASK_MAX") ?? min + count - 1;
            if (max - min + 1 != count)
                throw new ArgumentException($"the Slurm array {min}-{max} has {count} tasks, not one per index (a step or a list): give --shards N and use the task ids 0 … N−1.");
            return Checked(task - min, count, "SLURM_ARRAY_TASK_ID");
        }
        if (shards is int only) throw new ArgumentException($"--shards {only} without --shard i/N, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX: which shard is this?");
        return All;
    }

    /// <summary><c>i/N</c>.</summary>
    public override string ToString() => $"{Index}/{Count}";
}
