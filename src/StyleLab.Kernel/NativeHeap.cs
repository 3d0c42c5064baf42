using System.Runtime.InteropServices;

namespace StyleLab.Kernel;

/// <summary>
/// Gives freed native memory back to the operating system after a cell: compiling and loading a cell allocates
/// natively on several threads, and glibc keeps what was freed in its arenas. The kernel's own copy of
/// <c>StyleLab.Runtime.NativeHeap</c>: the plain "C#" kernel must not load StyleLab at all.
/// </summary>
internal static class NativeHeap
{
    /// <summary>Calls glibc's <c>malloc_trim(0)</c>; does nothing elsewhere.</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { _ = MallocTrim(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { } // musl: no such call
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int MallocTrim(nuint pad);
}
