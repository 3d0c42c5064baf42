namespace StyleLab.Kernel;

/// <summary>
/// Gives the garbage collector's idle committed memory back after a cell. Compiling a cell allocates
/// tens of megabytes that die together; the GC keeps the freed regions committed for reuse and
/// returns them only slowly, so between cells the kernel sometimes held seven times its live heap
/// (measured in the soak: 369 MB committed for 50 MB live after 500 cells).
/// </summary>
internal static class ManagedHeap
{
    /// <summary>Committed memory beyond the heap that is left alone: below it a full collection costs more than it saves.</summary>
    const long Slack = 64L << 20;

    /// <summary>Runs an aggressive (decommitting) full collection when the last one left more than <see cref="Slack"/> idle.</summary>
    public static void GiveBack()
    {
        var last = GC.GetGCMemoryInfo();
        if (last.TotalCommittedBytes - last.HeapSizeBytes < Slack) return;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
