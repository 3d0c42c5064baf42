using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace StyleLab.Runtime;

/// <summary>
/// Makes sure the libtorch that StyleLab was built with is the one in the process.
/// </summary>
/// <remarks>
/// A bare-name load of <c>torch_cpu</c> can resolve to a system libtorch (Debian's
/// <c>python3-torch</c> installs 1.13), which then fails with undefined symbols. Loading the
/// natives that sit next to <c>TorchSharp.dll</c> by absolute path first makes every later
/// bare-name load resolve to them: the dynamic loader matches already-loaded sonames.
/// </remarks>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool _loaded;

    /// <summary>Where the native libraries were loaded from, or null if TorchSharp found them itself.</summary>
    public static string? NativeDirectory { get; private set; }

    /// <summary>The CUDA libtorch replaces the CPU one; these are loaded in this order when present.</summary>
    static readonly string[] Natives = ["c10", "torch_cpu", "c10_cuda", "torch_cuda", "torch", "LibTorchSharp"];

    [ModuleInitializer]
    internal static void Initialize() => EnsureLoaded();

    /// <summary>Loads the project's own libtorch natives once; safe to call many times.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded) return;
            _loaded = true;
            string? dir = Path.GetDirectoryName(typeof(torch).Assembly.Location);
            if (string.IsNullOrEmpty(dir)) return;
            bool any = false;
            foreach (string name in Natives)
            {
                string file = Path.Combine(dir, NativeFileName(name));
                if (!File.Exists(file)) continue;
                // A failure here is reported by TorchSharp's own loader with its full trace.
                if (NativeLibrary.TryLoad(file, out _)) any = true;
            }
            if (any) NativeDirectory = dir;
        }
    }

    static string NativeFileName(string name) =>
        OperatingSystem.IsWindows() ? name + ".dll"
        : OperatingSystem.IsMacOS() ? "lib" + name + ".dylib"
        : "lib" + name + ".so";

    /// <summary>Parses "cpu", "cuda", "cuda:1", "mps"; "auto" picks CUDA when available.</summary>
    public static torch.Device ParseDevice(string? spec)
    {
        EnsureLoaded();
        spec = string.IsNullOrWhiteSpace(spec) ? "cpu" : spec.Trim().ToLowerInvariant();
        if (spec == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        var device = new torch.Device(spec);
        if (device.type == DeviceType.CUDA && !torch.cuda.is_available())
            throw new InvalidOperationException(
                $"Device '{spec}' was requested but CUDA is not available: this build uses the CPU libtorch " +
                "(see README, 'Using a GPU', for swapping in the CUDA package).");
        return device;
    }
}
