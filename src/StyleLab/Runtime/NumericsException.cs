namespace StyleLab.Runtime;

/// <summary>
/// libtorch computes wrong convolutions in this process and no workaround fixed it: StyleLab refuses
/// to run rather than produce wrong images or weights.
/// </summary>
public sealed class NumericsException(NumericsReport report) : Exception(
    $"libtorch computes wrong convolutions on this CPU ({report.Summary}; {report.Cpu}; " +
    $"first failure: {report.SelfTest.FirstOrDefault(e => !e.Passed)}). " +
    "Unset STYLELAB_ONEDNN_WORKAROUND (or set it to 'disable-onednn'), or start with ONEDNN_MAX_CPU_ISA=SSE41; " +
    "see docs/known-issues.md.")
{
    /// <summary>What the check found.</summary>
    public NumericsReport Report { get; } = report;
}
