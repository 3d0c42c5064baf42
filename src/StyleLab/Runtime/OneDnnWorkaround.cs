namespace StyleLab.Runtime;

/// <summary>How StyleLab keeps libtorch's convolutions correct where oneDNN misreads the CPU (docs/known-issues.md).</summary>
public enum OneDnnWorkaround
{
    /// <summary>Nothing changed: oneDNN computes correctly here (or the user asked for nothing).</summary>
    None,

    /// <summary>
    /// oneDNN's cached cache sizes were replaced by its own guesses (32 KiB / 512 KiB / 1 MiB per core),
    /// as oneDNN ≥ 3.8 does for an empty CPUID leaf: correct, and as fast as an unaffected machine.
    /// </summary>
    GuessedCacheSizes,

    /// <summary>libtorch's oneDNN backend is off (<c>torch.backends.mkldnn.enabled = False</c>): correct, convolutions 3–6× slower.</summary>
    OneDnnDisabled,
}
