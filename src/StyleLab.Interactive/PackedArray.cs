using System.Runtime.InteropServices;

namespace StyleLab.Interactive;

/// <summary>
/// Numbers for an explorer's script, packed compactly: little-endian binary in base64, which the
/// explorer runtime unpacks into a <c>Float32Array</c> (with its <c>shape</c>). Text JSON would be
/// four to eight times larger for the same values.
/// </summary>
/// <param name="DType"><c>float32</c>, or <c>int8</c> (values × <paramref name="Scale"/>), or <c>uint8</c> (raw bytes, e.g. a colour table).</param>
/// <param name="Shape">The array's shape, row-major.</param>
/// <param name="Scale">What one int8 step is worth.</param>
/// <param name="Base64">The bytes.</param>
public sealed record PackedArray(string DType, IReadOnlyList<long> Shape, double Scale, string Base64)
{
    /// <summary>Exact float32 values.</summary>
    public static PackedArray Float32(float[] values, params long[] shape) =>
        new("float32", Check(values.Length, shape), 1, Convert.ToBase64String(MemoryMarshal.AsBytes(values.AsSpan())));

    /// <summary>
    /// Values in [−<paramref name="range"/>, <paramref name="range"/>] quantised to 8 bits: a
    /// quarter of the size, precise to about 1% of the range (enough to colour a heat map).
    /// </summary>
    public static PackedArray Int8(float[] values, float range, params long[] shape)
    {
        double scale = range / 127.0;
        var bytes = values.Select(v => (byte)(sbyte)Math.Clamp(Math.Round(v / scale), -127, 127)).ToArray();
        return new("int8", Check(values.Length, shape), scale, Convert.ToBase64String(bytes));
    }

    /// <summary>Raw bytes.</summary>
    public static PackedArray UInt8(byte[] values, params long[] shape) =>
        new("uint8", Check(values.Length, shape), 1, Convert.ToBase64String(values));

    static long[] Check(int count, long[] shape)
    {
        if (shape.Length == 0) return [count];
        long product = shape.Aggregate(1L, (a, b) => a * b);
        return product == count ? shape
            : throw new ArgumentException($"Shape [{string.Join(",", shape)}] holds {product} values, but {count} were given.", nameof(shape));
    }
}
