namespace StyleLab.Kernel;

/// <summary>
/// Collects a cell's garbage after the cell. Compiling a cell allocates tens of megabytes that live
/// until the cell ends, so they reach generation 2, which the GC collects only when its budget (sized
/// by the machine's free memory) runs out: between cells the kernel held gigabytes of dead compilations
/// and the native metadata their finalisers free (soak: 6.7 GB resident after 750 cells, 64 MB live).
/// The GC also keeps freed regions committed for reuse and returns them only slowly.
/// </summary>
internal static class ManagedHeap
{
    /// <summary>Garbage or idle committed memory that is left alone: below it a full collection costs more than it saves.</summary>
    const long Slack = 64L << 20;

    static long _liveAfterFullCollection;

    /// <summary>Runs an aggressive (decommitting) full collection when more than <see cref="Slack"/> has died or lies idle since the last one.</summary>
    public static void GiveBack()
    {
        var last = GC.GetGCMemoryInfo();
        bool idle = last.TotalCommittedBytes - last.HeapSizeBytes > Slack;
        bool dead = GC.GetTotalMemory(forceFullCollection: false) - _liveAfterFullCollection > Slack;
        if (!idle && !dead) return;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _liveAfterFullCollection = GC.GetTotalMemory(forceFullCollection: false);
    }
}
