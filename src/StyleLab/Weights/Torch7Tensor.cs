using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// A Torch7 tensor: a view (sizes, strides, 0-based offset) into a <see cref="Torch7Storage"/>. The reader
/// has checked that every element the view reaches lies inside the storage.
/// </summary>
public sealed class Torch7Tensor
{
    internal Torch7Tensor(string className, ScalarType elementType, long[] sizes, long[] strides, long offset, Torch7Storage? storage)
    {
        ClassName = className;
        ElementType = elementType;
        Sizes = sizes;
        Strides = strides;
        Offset = offset;
        Storage = storage;
    }

    public string ClassName { get; }
    public ScalarType ElementType { get; }
    public IReadOnlyList<long> Sizes { get; }
    public IReadOnlyList<long> Strides { get; }

    /// <summary>The first element's index in the storage, 0-based (the file stores it 1-based).</summary>
    public long Offset { get; }

    /// <summary>Null for an empty tensor (<c>torch.FloatTensor()</c>).</summary>
    public Torch7Storage? Storage { get; }

    /// <summary>The number of elements (0 for an empty tensor).</summary>
    public long ElementCount => Sizes.Count == 0 || Storage is null ? 0 : Sizes.Aggregate(1L, (a, b) => a * b);

    /// <summary>A new contiguous CPU tensor with the elements (an empty tensor has shape [0]).</summary>
    public Tensor ToTensor()
    {
        if (ElementCount == 0) return torch.empty(Sizes.Count == 0 || Storage is null ? [0] : Sizes.ToArray(), ElementType);
        using var scope = torch.NewDisposeScope();
        var flat = torch.empty(Storage!.Count, ElementType);
        flat.bytes = Storage.Bytes;
        return flat.as_strided(Sizes.ToArray(), Strides.ToArray(), Offset).contiguous().MoveToOuterDisposeScope();
    }

    public override string ToString() => $"{ClassName} [{string.Join("×", Sizes)}]";
}
