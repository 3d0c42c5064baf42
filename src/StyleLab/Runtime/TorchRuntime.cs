using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace StyleLab.Runtime;

/// <summary>
/// Makes sure the libtorch that StyleLab was built with is the one in the process, and that it
/// computes correctly on this CPU.
/// </summary>
/// <remarks>
/// <para>A bare-name load of <c>torch_cpu</c> can resolve to a system libtorch (Debian's
/// <c>python3-torch</c> installs 1.13), which then fails with undefined symbols. Loading the
/// natives that sit next to <c>TorchSharp.dll</c> by absolute path first makes every later
/// bare-name load resolve to them: the dynamic loader matches already-loaded sonames.</para>
/// <para>NNPACK is turned off where it cannot run (<see cref="Nnpack"/>), which would otherwise log a warning at
/// every convolution.</para>
/// <para>Then TorchSharp's natives are bound through the <see cref="ScalarQuarantine"/>, and
/// <see cref="NumericsCheck"/> runs once, before StyleLab's first convolution: libtorch
/// 2.10's oneDNN computes wrong convolutions on some VMs, silently (docs/known-issues.md).</para>
/// </remarks>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool _loaded;
    static Exception? _failure;

    /// <summary>Where the native libraries were loaded from, or null if TorchSharp found them itself.</summary>
    public static string? NativeDirectory { get; private set; }

    /// <summary>What the start-up check of libtorch's convolutions found and did; null before <see cref="EnsureLoaded"/>.</summary>
    public static NumericsReport? Numerics { get; private set; }

    /// <summary>The CUDA libtorch replaces the CPU one; these are loaded in this order when present.</summary>
    static readonly string[] Natives = ["c10", "torch_cpu", "c10_cuda", "torch_cuda", "torch", "LibTorchSharp"];

    [ModuleInitializer]
    internal static void Initialize()
    {
        // A module initializer must not throw (every StyleLab type would fail to load); the next
        // explicit EnsureLoaded — the CLI's, the kernel's, a weight reader's — reports it.
        try { EnsureLoaded(); }
        catch (Exception) { }
    }

    /// <summary>
    /// Loads the project's own libtorch natives and checks its convolutions, once; safe to call many times.
    /// </summary>
    /// <exception cref="NumericsException">libtorch computes wrong convolutions here and no workaround fixed it.</exception>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (!_loaded)
            {
                _loaded = true;
                try
                {
                    LoadNatives();
                    // TorchSharp's own load first: the symbols are then looked up in the libtorch it uses, never in another
                    // one a bare name could find (Debian's python3-torch). Then NNPACK, before the first convolution.
                    torch.InitializeDevice(torch.CPU);
                    Nnpack.DisableWhereUnsupported();
                    Numerics = NumericsCheck.Run();
                }
                catch (Exception e)
                {
                    _failure = e;
                }
            }
            if (_failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
            if (Numerics is { Passed: false } report) throw new NumericsException(report);
        }
    }

    static void LoadNatives()
    {
        if (NativeCandidates().FirstOrDefault(d => File.Exists(Path.Combine(d, NativeFileName("LibTorchSharp")))) is not { } dir) return;
        bool any = false;
        foreach (string name in Natives)
        {
            string file = Path.Combine(dir, NativeFileName(name));
            if (!File.Exists(file)) continue;
            // A failure here is reported by TorchSharp's own loader with its full trace.
            if (NativeLibrary.TryLoad(file, out _)) any = true;
        }
        if (!any) return;
        NativeDirectory = dir;
        ScalarQuarantine.Install(dir);
    }

    /// <summary>
    /// Where the natives can be: next to TorchSharp.dll (a build with a runtime identifier, as this
    /// repository's), or in <c>runtimes/&lt;rid&gt;/native</c> beside it (a project or script that
    /// references the StyleLab package without one).
    /// </summary>
    static IEnumerable<string> NativeCandidates()
    {
        string? dir = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (string.IsNullOrEmpty(dir)) yield break;
        yield return dir;
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        yield return Path.Combine(dir, "runtimes", $"{os}-{arch}", "native");
    }

    /// <summary>The path of one of libtorch's natives: in <see cref="NativeDirectory"/>, else its bare file name.</summary>
    internal static string NativePath(string name) =>
        NativeDirectory is { } dir ? Path.Combine(dir, NativeFileName(name)) : NativeFileName(name);

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
