using System.Runtime.InteropServices;

namespace StyleLab.Runtime;

/// <summary>
/// Gives freed native memory back to the operating system between units of long work (a kernel cell, a batch
/// item). libtorch and the runtime allocate natively on several threads; glibc keeps what was freed in its arenas
/// and raises its mmap threshold after large frees, so tensors of changing sizes leave the heap fragmented: the
/// kernel's RSS climbed by gigabytes in a few hundred cells, and a 1000-image batch by 250 MB, while the live
/// memory stayed flat.
/// </summary>
public static class NativeHeap
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
