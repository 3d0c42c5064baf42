using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.CAST;

/// <summary>
/// A MoCo-style queue of negative style codes for one MSP layer (official <c>queue_data_B{l}</c>,
/// <c>queue_ptr_B{l}</c>): [D,K] unit columns, first random, then overwritten batch by batch in a ring.
/// </summary>
public sealed class NegativeQueue : nn.Module
{
    readonly Tensor queue_data;
    readonly Tensor queue_ptr;

    /// <summary>A queue of <paramref name="size"/> random unit vectors of <paramref name="dimension"/> entries.</summary>
    public NegativeQueue(int size, int dimension = ProjectionHead.Dimension, Generator? generator = null) : base(nameof(NegativeQueue))
    {
        using (var data = randn([dimension, size], generator: generator))
            queue_data = F.normalize(data, dim: 0);
        queue_ptr = zeros(1, ScalarType.Int64);
        RegisterComponents();
    }

    /// <summary>The negatives [D,K].</summary>
    public Tensor Data => queue_data;

    /// <summary>Where the next batch is written.</summary>
    public long Pointer => queue_ptr.item<long>();

    /// <summary>Number of negatives K.</summary>
    public long Size => queue_data.shape[1];

    /// <summary>Writes <paramref name="keys"/> [B,D] over the oldest entries (the official <c>dequeue_and_enqueue</c>).</summary>
    public void Enqueue(Tensor keys)
    {
        long batch = keys.shape[0], pointer = Pointer;
        if (Size % batch != 0)
            throw new ArgumentException($"The queue size ({Size}) must be a multiple of the batch size ({batch}), as in the official code.");
        using var _ = no_grad();
        using var slot = queue_data.narrow(1, pointer, batch);
        using var transposed = keys.detach().t();
        slot.copy_(transposed);
        queue_ptr[0] = (pointer + batch) % Size;
    }
}
