using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace StyleLab.Runtime;

/// <summary>
/// Guards against a TorchSharp 0.107 race: a <see cref="Scalar"/> made implicitly from a number
/// (<c>x * 2f</c>, <c>clamp(0, 1)</c>, the optimisers' <c>mul_(beta1)</c>) is released by the
/// garbage collector's finaliser, which can run while the native operation still reads it; libtorch
/// then fails with "Unknown scalar type" or "Expected false to be true", or reads a wrong number.
/// </summary>
/// <remarks>
/// The fix is native (<c>Native/scalar_quarantine.c</c>, built next to libtorch): TorchSharp's
/// P/Invokes to <c>LibTorchSharp</c> are bound to that library, which holds each released scalar
/// back until 65 536 later ones have been released and forwards every other symbol to
/// libLibTorchSharp.so. Installed by <see cref="TorchRuntime"/> before StyleLab's first tensor
/// operation. See docs/known-issues.md.
/// </remarks>
public static class ScalarQuarantine
{
    const string LibraryFile = "libStyleLabScalarQuarantine.so";

    /// <summary>Set to <c>off</c> to leave TorchSharp's natives unguarded (to reproduce the race).</summary>
    public const string Variable = "STYLELAB_SCALAR_QUARANTINE";
    static IntPtr _library;

    /// <summary>What was found and done: shown by <c>stylelab info</c>.</summary>
    public static string Status { get; private set; } = "not installed";

    /// <summary>True when released scalars are seen to pass through the quarantine.</summary>
    public static bool Active { get; private set; }

    /// <summary>How many scalars have been released through the quarantine (0 when it is not installed).</summary>
    public static ulong Released => _library == IntPtr.Zero ? 0 : ReleasedCounter();

    /// <summary>Binds TorchSharp's natives to the quarantine library in <paramref name="nativeDirectory"/>, if it was built.</summary>
    internal static void Install(string nativeDirectory)
    {
        if (!OperatingSystem.IsLinux()) { Status = "not available here (Linux only) — unguarded"; return; }
        if (Environment.GetEnvironmentVariable(Variable) == "off") { Status = $"off ({Variable}=off) — unguarded"; return; }
        string file = Path.Combine(nativeDirectory, LibraryFile);
        if (!File.Exists(file)) { Status = $"not built ({LibraryFile} missing: no C compiler at build time?) — unguarded"; return; }
        if (!NativeLibrary.TryLoad(file, out _library)) { Status = $"could not load {file} — unguarded"; return; }
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            Status = "not installed: another component already resolves TorchSharp's natives — unguarded";
            return;
        }
        Active = Probe();
        Status = !Active ? "installed too late: TorchSharp had already bound its natives — unguarded"
            : Forwards() == 0 ? "active, but libLibTorchSharp's release was not found: scalars leak"
            : "active";
    }

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "LibTorchSharp" ? _library : IntPtr.Zero;

    /// <summary>Releases one scalar and checks that it went through the quarantine.</summary>
    static bool Probe()
    {
        ulong before = ReleasedCounter();
        1f.ToScalar().Dispose();
        return ReleasedCounter() == before + 1;
    }

    static unsafe ulong ReleasedCounter() =>
        ((delegate* unmanaged<ulong>)NativeLibrary.GetExport(_library, "StyleLab_ScalarQuarantine_Released"))();

    static unsafe int Forwards() =>
        ((delegate* unmanaged<int>)NativeLibrary.GetExport(_library, "StyleLab_ScalarQuarantine_Forwards"))();
}
