namespace StyleLab.Diagnostics;

/// <summary>One workload at one size.</summary>
/// <param name="Workload">"forward" (VGG-19 to relu5_1, no autograd) or "gatys" (one iteration: forward, losses, backward to the image).</param>
/// <param name="Size">Square image side in pixels.</param>
/// <param name="Timing">The timed runs.</param>
/// <param name="Flops">Analytic FLOPs of one run (<see cref="VggFlops"/>).</param>
public sealed record BenchmarkResult(string Workload, int Size, BenchmarkTiming Timing, double Flops)
{
    /// <summary>Median seconds per run.</summary>
    public double Seconds => Timing.Median;

    /// <summary>Achieved GFLOP/s against the analytic count.</summary>
    public double GflopsPerSecond => Flops / Seconds / 1e9;
}
