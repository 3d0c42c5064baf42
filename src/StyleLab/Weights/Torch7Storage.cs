using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// A Torch7 storage (<c>torch.FloatStorage</c>, …): a flat run of elements of one type, as raw
/// little-endian bytes. CUDA storages are written as their CPU counterparts' elements.
/// </summary>
public sealed class Torch7Storage
{
    internal Torch7Storage(string className, ScalarType elementType, long count, byte[] bytes)
    {
        ClassName = className;
        ElementType = elementType;
        Count = count;
        Bytes = bytes;
    }

    public string ClassName { get; }

    /// <summary>The element type (a LongStorage read from a 4-byte-long file is widened to 64 bits).</summary>
    public ScalarType ElementType { get; }

    /// <summary>The number of elements.</summary>
    public long Count { get; }

    /// <summary>The elements' bytes, little-endian, <see cref="Count"/> × the element size.</summary>
    public byte[] Bytes { get; }

    public override string ToString() => $"{ClassName} ({Count})";
}
