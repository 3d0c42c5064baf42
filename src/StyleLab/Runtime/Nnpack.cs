using System.Runtime.InteropServices;

namespace StyleLab.Runtime;

/// <summary>
/// NNPACK, libtorch's optional CPU convolution backend, turned off where it cannot run.
/// </summary>
/// <remarks>
/// On CPUs NNPACK does not support (most x86 VMs), ATen tries to initialise it again at every convolution
/// and logs "Could not initialize NNPACK! Reason: Unsupported hardware." on standard error each time —
/// dozens of lines per run that tell a user nothing, since ATen then uses its other kernels anyway. Setting
/// <c>TORCH_CPP_LOG_LEVEL</c> does not help in a .NET process: only Python's <c>import torch</c> calls the
/// <c>c10::initLogging()</c> that reads it. So StyleLab asks NNPACK once, with c10's log level raised for
/// that one call, and where it is unavailable turns it off as Python's
/// <c>torch.backends.nnpack.set_flags(False)</c> does (<c>at::globalContext().setUserEnabledNNPACK(false)</c>),
/// after which ATen no longer tries it. Nothing changes where NNPACK works, and other warnings still show.
/// </remarks>
static class Nnpack
{
    /// <summary>c10's ERROR severity: messages below <c>FLAGS_caffe2_log_level</c> are not printed.</summary>
    const int ErrorSeverity = 2;

    /// <summary>
    /// Turns NNPACK off when it cannot initialise here; true when it did. False (and nothing changed) where
    /// NNPACK works, or where this libtorch does not export the symbols it needs.
    /// </summary>
    public static bool DisableWhereUnsupported()
    {
        if (!NativeLibrary.TryLoad(TorchRuntime.NativePath("torch_cpu"), out var torchCpu)
            || !NativeLibrary.TryGetExport(torchCpu, "_ZN2at6native17_nnpack_availableEv", out var available)
            || !NativeLibrary.TryGetExport(torchCpu, "_ZN2at13globalContextEv", out var globalContext)
            || !NativeLibrary.TryGetExport(torchCpu, "_ZN2at7Context20setUserEnabledNNPACKEb", out var setEnabled))
            return false;
        nint logLevel = NativeLibrary.TryLoad(TorchRuntime.NativePath("c10"), out var c10)
            && NativeLibrary.TryGetExport(c10, "FLAGS_caffe2_log_level", out var flag) ? flag : 0;
        unsafe
        {
            int saved = logLevel == 0 ? 0 : *(int*)logLevel;
            if (logLevel != 0) *(int*)logLevel = Math.Max(saved, ErrorSeverity);
            bool works;
            try { works = ((delegate* unmanaged<byte>)available)() != 0; }
            finally { if (logLevel != 0) *(int*)logLevel = saved; }
            if (works) return false;
            nint context = ((delegate* unmanaged<nint>)globalContext)();
            ((delegate* unmanaged<nint, byte, void>)setEnabled)(context, 0);
            return true;
        }
    }
}
