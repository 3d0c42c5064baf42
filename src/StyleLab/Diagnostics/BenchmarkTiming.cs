using System.Diagnostics;

namespace StyleLab.Diagnostics;

/// <summary>Timings of a repeated piece of work: warm-up runs first, the median reported.</summary>
/// <param name="Samples">Wall-clock seconds of each timed run.</param>
/// <param name="CpuSamples">
/// Process CPU seconds (all threads) of each run. On a machine shared with other work, wall time
/// grows with the load while CPU time stays close to the work done: CPU time ÷ threads is a
/// load-independent estimate of the wall time on an idle machine.
/// </param>
public sealed record BenchmarkTiming(IReadOnlyList<double> Samples, IReadOnlyList<double>? CpuSamples = null)
{
    /// <summary>The median: robust to the odd slow run (page faults, another process).</summary>
    public double Median => MedianOf(Samples);

    /// <summary>Median CPU seconds per run (NaN when not measured).</summary>
    public double CpuMedian => CpuSamples is { Count: > 0 } cpu ? MedianOf(cpu) : double.NaN;

    static double MedianOf(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    public double Min => Samples.Min();

    /// <summary>Runs <paramref name="work"/> <paramref name="warmup"/> times untimed, then <paramref name="repeat"/> times timed.</summary>
    public static BenchmarkTiming Measure(Action work, int repeat, int warmup = 1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        for (int i = 0; i < warmup; i++) { cancellationToken.ThrowIfCancellationRequested(); work(); }
        var samples = new double[repeat];
        var cpu = new double[repeat];
        using var process = Process.GetCurrentProcess();
        for (int i = 0; i < repeat; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            work();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        }
        return new BenchmarkTiming(samples, cpu);
    }
}
