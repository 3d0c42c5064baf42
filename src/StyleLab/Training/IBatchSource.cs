using static TorchSharp.torch;

namespace StyleLab.Training;

/// <summary>
/// Where a training loop gets its batches: an endless stream whose place can be read and set, so a
/// resumed run sees exactly the batches an uninterrupted one would have seen.
/// </summary>
/// <typeparam name="TBatch">One batch; the caller owns and disposes it.</typeparam>
public interface IBatchSource<out TBatch> where TBatch : IDisposable
{
    /// <summary>The next batch; the caller owns (and disposes) it.</summary>
    TBatch NextBatch();

    /// <summary>Where the stream is now; setting it makes the next batch the one that followed then.</summary>
    BatchPosition Position { get; set; }
}

/// <summary>A stream of image batches [B,3,H,W].</summary>
public interface IBatchSource : IBatchSource<Tensor>;

/// <summary>A place in an endless, epoch-shuffled stream: the epoch and the index of the next item in it.</summary>
public readonly record struct BatchPosition(int Epoch, int Index);
