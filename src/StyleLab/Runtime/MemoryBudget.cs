using System.Globalization;

namespace StyleLab.Runtime;

/// <summary>
/// How much memory StyleLab lets one run take. Work whose estimated peak (<see cref="PeakMemory"/>) is above
/// the budget is refused before it starts, with a message that says what fits, rather than swapping a
/// laptop to a standstill or being killed by the kernel halfway through.
/// </summary>
/// <param name="Bytes">The budget in bytes.</param>
/// <remarks>
/// The default is <see cref="DefaultFraction"/> of the memory the process may use (physical memory, or the
/// container's limit), so an 8 GB laptop gets a 4 GB budget. <see cref="EnvironmentVariable"/> overrides it:
/// a byte count with an optional K/M/G/T suffix (<c>6G</c>) or a percentage of that memory (<c>75%</c>).
/// </remarks>
public sealed record MemoryBudget(long Bytes)
{
    /// <summary>Overrides the default budget: <c>STYLELAB_MEMORY_BUDGET=6G</c> or <c>=75%</c>.</summary>
    public const string EnvironmentVariable = "STYLELAB_MEMORY_BUDGET";

    /// <summary>The share of the available memory the default budget takes.</summary>
    public const double DefaultFraction = 0.5;

    static readonly Lazy<MemoryBudget> FromEnvironment = new(() =>
        Parse(Environment.GetEnvironmentVariable(EnvironmentVariable), AvailableBytes));

    static readonly AsyncLocal<MemoryBudget?> Scoped = new();

    /// <summary>The budget of this process: <see cref="EnvironmentVariable"/> when set, else half of <see cref="AvailableBytes"/>.</summary>
    public static MemoryBudget Default => FromEnvironment.Value;

    /// <summary>The budget checks use: the innermost <see cref="Use"/> on this flow of execution, else <see cref="Default"/>.</summary>
    public static MemoryBudget Current => Scoped.Value ?? Default;

    /// <summary>Makes <paramref name="budget"/> <see cref="Current"/> for this flow of execution until the result is disposed.</summary>
    public static IDisposable Use(MemoryBudget budget)
    {
        var previous = Scoped.Value;
        Scoped.Value = budget;
        return new Restore(() => Scoped.Value = previous);
    }

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>The memory this process may use: physical memory, or the container's limit where lower.</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// Reads a budget: null or empty gives <see cref="DefaultFraction"/> of <paramref name="availableBytes"/>;
    /// <c>75%</c> a share of it; <c>6G</c>, <c>512M</c>, <c>2048K</c>, <c>1T</c> or a plain number a size in bytes.
    /// </summary>
    /// <exception cref="ArgumentException">The text is none of those, or not positive.</exception>
    public static MemoryBudget Parse(string? text, long availableBytes)
    {
        if (string.IsNullOrWhiteSpace(text)) return new((long)(availableBytes * DefaultFraction));
        string s = text.Trim().ToUpperInvariant();
        double value;
        long bytes;
        if (s.EndsWith('%'))
        {
            if (!double.TryParse(s[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !(value > 0 && value <= 100))
                throw Invalid(text);
            bytes = (long)(availableBytes * value / 100);
        }
        else
        {
            long unit = s[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, 'T' => 1L << 40, _ => 1 };
            if (unit > 1) s = s[..^1];
            if (s.EndsWith('B') && unit == 1) s = s[..^1];
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !(value > 0) || value * unit > long.MaxValue)
                throw Invalid(text);
            bytes = (long)(value * unit);
        }
        return new(bytes);
    }

    static ArgumentException Invalid(string text) => new(
        $"{EnvironmentVariable}='{text}' is not a memory budget: use a size such as 6G or 512M, or a share such as 75%.", nameof(text));

    /// <summary>
    /// Refuses work whose estimated peak is above the budget; <paramref name="what"/> names the work
    /// ("fast-style transfer of a 7360×4912 image") and <paramref name="advice"/> says what would fit.
    /// </summary>
    /// <exception cref="MemoryBudgetException">The estimate is above the budget.</exception>
    public void Require(long estimatedBytes, string what, string? advice = null)
    {
        if (estimatedBytes <= Bytes) return;
        throw new MemoryBudgetException(estimatedBytes, Bytes,
            $"{what} needs about {Format(estimatedBytes)} of memory, more than StyleLab's budget of {Format(Bytes)} " +
            $"({(this == Default && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)) ? "half of this machine's memory" : "as set")}). " +
            (advice is null ? "" : advice + " ") +
            $"Refused before starting; to try anyway, raise the budget with {EnvironmentVariable} (e.g. {EnvironmentVariable}=90%).");
    }

    /// <summary>"3.2 GB", "640 MB".</summary>
    public static string Format(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB"
        : (bytes >> 20).ToString(CultureInfo.InvariantCulture) + " MB";
}
