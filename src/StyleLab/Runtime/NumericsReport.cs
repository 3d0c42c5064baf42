namespace StyleLab.Runtime;

/// <summary>What the start-up check of libtorch's convolutions found and did (<see cref="NumericsCheck"/>).</summary>
/// <param name="Cpu">The CPU's cache-describing CPUID leaves.</param>
/// <param name="OneDnn">The libtorch build whose oneDNN view could be read, or why not.</param>
/// <param name="DetectedCacheSizes">oneDNN's per-core L1/L2/L3 sizes in bytes as it detected them, when readable.</param>
/// <param name="Simulated">The bug was simulated on purpose (<c>STYLELAB_SIMULATE_ONEDNN_CACHE_BUG=1</c>).</param>
/// <param name="Affected">oneDNN misread the caches, or the self-test failed before any workaround.</param>
/// <param name="Workaround">What was done about it.</param>
/// <param name="SelfTest">The final self-test: every case at one thread.</param>
/// <param name="Milliseconds">What the whole check cost.</param>
public sealed record NumericsReport(
    CpuCacheLeaves Cpu,
    string OneDnn,
    (uint L1, uint L2, uint L3)? DetectedCacheSizes,
    bool Simulated,
    bool Affected,
    OneDnnWorkaround Workaround,
    IReadOnlyList<ConvolutionError> SelfTest,
    double Milliseconds)
{
    /// <summary>Every self-test convolution matched float64.</summary>
    public bool Passed => SelfTest.All(e => e.Passed);

    /// <summary>One line for <c>stylelab info</c> and error messages.</summary>
    public string Summary =>
        (Passed ? "convolutions correct" : "convolutions WRONG") +
        (Affected ? $" — libtorch's oneDNN is affected by the cache-size bug{(Simulated ? " (simulated)" : "")}" : "") +
        Workaround switch
        {
            OneDnnWorkaround.GuessedCacheSizes => "; workaround: oneDNN's cache sizes replaced by its guesses (no measurable cost)",
            OneDnnWorkaround.OneDnnDisabled => "; workaround: oneDNN disabled (convolutions 3–6× slower)",
            _ => "",
        } + $" (self-test {Milliseconds:F0} ms)";
}
