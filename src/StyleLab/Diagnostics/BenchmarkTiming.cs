using System.Diagnostics;

namespace StyleLab.Diagnostics;

/// <summary>Wall-clock timings of a repeated piece of work: warm-up runs first, the median reported.</summary>
/// <param name="Samples">Seconds of each timed run.</param>
public sealed record BenchmarkTiming(IReadOnlyList<double> Samples)
{
    /// <summary>The median: robust to the odd slow run (page faults, another process).</summary>
    public double Median
    {
        get
        {
            var sorted = Samples.Order().ToArray();
            int m = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
        }
    }

    public double Min => Samples.Min();

    /// <summary>Runs <paramref name="work"/> <paramref name="warmup"/> times untimed, then <paramref name="repeat"/> times timed.</summary>
    public static BenchmarkTiming Measure(Action work, int repeat, int warmup = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        for (int i = 0; i < warmup; i++) { cancellationToken.ThrowIfCancellationRequested(); work(); }
        var samples = new double[repeat];
        for (int i = 0; i < repeat; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            work();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        return new BenchmarkTiming(samples);
    }
}
