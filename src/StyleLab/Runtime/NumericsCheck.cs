using System.Diagnostics;
using System.Runtime.InteropServices;

namespace StyleLab.Runtime;

/// <summary>
/// Decides at start-up whether this process's libtorch computes convolutions correctly, and makes it
/// do so where libtorch 2.10's oneDNN misreads the CPU's caches (docs/known-issues.md).
/// </summary>
/// <remarks>
/// <para>Order matters: oneDNN caches the primitives it builds, so the cache sizes are repaired
/// before the first convolution of the process, from oneDNN's own view (readable in the libtorch
/// build StyleLab ships, see <see cref="OneDnnCpu"/>). Then a self-test checks the shapes the bug
/// breaks against float64, at one thread. If it still fails —
/// another libtorch, another bug — oneDNN is switched off and the test repeated; if even that fails,
/// <see cref="TorchRuntime"/> refuses to run.</para>
/// <para>Environment: <c>STYLELAB_ONEDNN_WORKAROUND</c> = <c>auto</c> (default), <c>cache-sizes</c>,
/// <c>disable-onednn</c> or <c>none</c>; <c>STYLELAB_SIMULATE_ONEDNN_CACHE_BUG=1</c> writes the
/// 1-byte cache sizes of an affected VM first, to reproduce the bug on any machine.</para>
/// </remarks>
public static class NumericsCheck
{
    /// <summary>The environment variable that chooses the workaround.</summary>
    public const string WorkaroundVariable = "STYLELAB_ONEDNN_WORKAROUND";

    /// <summary>The environment variable that simulates the bug.</summary>
    public const string SimulateVariable = "STYLELAB_SIMULATE_ONEDNN_CACHE_BUG";

    /// <summary>Runs the check once for this process (called by <see cref="TorchRuntime.EnsureLoaded"/>).</summary>
    internal static NumericsReport Run()
    {
        var clock = Stopwatch.StartNew();
        string mode = (Environment.GetEnvironmentVariable(WorkaroundVariable) ?? "auto").Trim().ToLowerInvariant();
        if (mode is not ("auto" or "cache-sizes" or "disable-onednn" or "none"))
            throw new ArgumentException($"{WorkaroundVariable}='{mode}': use auto, cache-sizes, disable-onednn or none.");
        bool simulate = Environment.GetEnvironmentVariable(SimulateVariable) is "1" or "true";

        var cpu = CpuCacheLeaves.Read();
        var oneDnn = OneDnnCpu.TryOpen(out string why);
        bool simulated = false;
        if (simulate && oneDnn is not null)
        {
            oneDnn.SimulateEmptyCacheLeaf();
            simulated = true;
        }
        var detected = oneDnn?.PerCoreCacheSizes;
        // No real L1 is under 1 KiB: such a view is the misread leaf.
        bool viewBroken = detected is { L1: < 1024 };

        var workaround = OneDnnWorkaround.None;
        if (viewBroken && mode is ("auto" or "cache-sizes"))
        {
            oneDnn!.UseGuessedCacheSizes();
            workaround = OneDnnWorkaround.GuessedCacheSizes;
        }
        if (mode == "disable-onednn" && DisableOneDnn()) workaround = OneDnnWorkaround.OneDnnDisabled;

        // The bug shows at every thread count (wrong taps at one, NaN at two), and the repair does not depend on
        // it: one thread keeps the check at ~35 ms even on a loaded machine, where two spin at OpenMP's barriers for
        // ~0.5 s. The tests and `stylelab info --numerics` check one and two threads.
        int[] threads = [1];
        var selfTest = ConvolutionCheck.Run(ConvolutionCase.SelfTest, threads);
        bool affected = viewBroken || (workaround == OneDnnWorkaround.None && !selfTest.All(e => e.Passed));
        if (!selfTest.All(e => e.Passed) && mode == "auto" && workaround != OneDnnWorkaround.OneDnnDisabled && DisableOneDnn())
        {
            workaround = OneDnnWorkaround.OneDnnDisabled;
            selfTest = ConvolutionCheck.Run(ConvolutionCase.SelfTest, threads);
        }
        return new NumericsReport(cpu, oneDnn?.BuildName ?? $"oneDNN's view not readable: {why}", detected,
            simulated, affected, workaround, selfTest, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// <c>at::globalContext().setUserEnabledMkldnn(false)</c>, what Python's
    /// <c>torch.backends.mkldnn.enabled = False</c> does; false when the symbols are not exported.
    /// </summary>
    static bool DisableOneDnn()
    {
        if (!NativeLibrary.TryLoad(TorchRuntime.NativePath("torch_cpu"), out var library)
            || !NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var globalContext)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb", out var setEnabled))
            return false;
        unsafe
        {
            nint context = ((delegate* unmanaged<nint>)globalContext)();
            ((delegate* unmanaged<nint, byte, void>)setEnabled)(context, 0);
        }
        return true;
    }
}
