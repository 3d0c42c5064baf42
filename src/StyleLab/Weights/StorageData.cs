using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// Reads a storage's raw bytes straight into the memory of a new 1-D CPU tensor, without an
/// intermediate managed array: weight files run to hundreds of megabytes.
/// </summary>
internal static class StorageData
{
    const int ChunkBytes = 1 << 24;

    /// <summary>Bytes per element of a storage type PyTorch checkpoints use.</summary>
    public static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a checkpoint storage type"),
    };

    /// <summary>
    /// Whether libtorch can lay out a tensor of <paramref name="shape"/>: no negative side, and the product of the
    /// non-zero sides fits in 64 bits. libtorch computes strides even for an empty tensor, so [0, 2^62, 2^62]
    /// fails inside it ("Storage size calculation overflowed") unless it is refused first.
    /// </summary>
    public static bool IsRepresentable(IReadOnlyList<long> shape)
    {
        Int128 product = 1;
        foreach (long side in shape)
        {
            if (side < 0) return false;
            if (side > 0 && (product *= side) > long.MaxValue) return false;
        }
        return true;
    }

    /// <summary>The bytes a storage occupies; a count no file could hold is an error, not an overflow.</summary>
    public static long ByteLength(StorageReference storage, string file)
    {
        long elementSize = ElementSize(storage.DType);
        long end = storage.ElementOffset + storage.ElementCount;
        if (storage.ElementCount < 0 || storage.ElementOffset < 0 || end < 0 || end > long.MaxValue / elementSize)
            throw new WeightFileException(file, $"storage '{storage.Key}' claims {storage.ElementCount} elements, more than any file holds");
        return end * elementSize;
    }

    /// <summary>
    /// Reads <paramref name="elementCount"/> elements of <paramref name="dtype"/> from
    /// <paramref name="source"/>; big-endian files (PyTorch's <c>byteorder</c> record says
    /// so) are swapped to the machine's order.
    /// </summary>
    public static Tensor Read(Stream source, long elementCount, ScalarType dtype, bool bigEndian, string file, string record)
    {
        int elementSize = ElementSize(dtype);
        bool swap = elementSize > 1 && bigEndian == BitConverter.IsLittleEndian;
        Tensor storage = empty([elementCount], dtype);
        try
        {
            // Tensor.bytes spans the tensor's own memory; a span is int-sized, hence chunks.
            long chunk = ChunkBytes / elementSize;
            for (long first = 0; first < elementCount; first += chunk)
            {
                using Tensor part = storage.narrow(0, first, Math.Min(chunk, elementCount - first));
                Span<byte> span = part.bytes;
                int read = source.ReadAtLeast(span, span.Length, throwOnEndOfStream: false);
                if (read < span.Length)
                    throw new WeightFileException(file,
                        $"storage record '{record}' ends after {first * elementSize + read} of its " +
                        $"{elementCount * elementSize} bytes; the file is truncated");
                if (swap)
                    for (int at = 0; at < span.Length; at += elementSize) span.Slice(at, elementSize).Reverse();
            }
            return storage;
        }
        catch
        {
            storage.Dispose();
            throw;
        }
    }
}
