using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>The element type behind each Torch7 tensor and storage class name.</summary>
internal static class Torch7ElementTypes
{
    static readonly Dictionary<string, ScalarType> ByPrefix = new()
    {
        ["Byte"] = ScalarType.Byte, ["Char"] = ScalarType.Int8, ["Short"] = ScalarType.Int16,
        ["Int"] = ScalarType.Int32, ["Long"] = ScalarType.Int64, ["Float"] = ScalarType.Float32,
        ["Double"] = ScalarType.Float64, ["Half"] = ScalarType.Float16,
        // cutorch: CudaTensor holds floats; the others are named after their element type.
        ["Cuda"] = ScalarType.Float32, ["CudaByte"] = ScalarType.Byte, ["CudaChar"] = ScalarType.Int8,
        ["CudaShort"] = ScalarType.Int16, ["CudaInt"] = ScalarType.Int32, ["CudaLong"] = ScalarType.Int64,
        ["CudaDouble"] = ScalarType.Float64, ["CudaHalf"] = ScalarType.Float16,
    };

    public static ScalarType? OfStorage(string className) => Of(className, "Storage");

    public static ScalarType? OfTensor(string className) => Of(className, "Tensor");

    static ScalarType? Of(string className, string suffix) =>
        className.StartsWith("torch.", StringComparison.Ordinal) && className.EndsWith(suffix, StringComparison.Ordinal)
        && ByPrefix.TryGetValue(className[6..^suffix.Length], out var type) ? type : null;

    /// <summary>Bytes per element in the file: a long has the writer's C long size.</summary>
    public static int FileSize(ScalarType type, int longSize) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 => 1,
        ScalarType.Int16 or ScalarType.Float16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 => longSize,
        ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
