using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Methods.Arbitrary;

/// <summary>
/// The values an int8 tensor of a quantised TFLite graph can hold: <c>scale · (q − zero_point)</c> for
/// q in −128…127. Rounding a float activation onto this grid after every operator makes a float
/// network compute what the integer one computes, up to TFLite's fixed-point rounding of the
/// rescale (an occasional one-step difference).
/// </summary>
internal sealed record Int8Grid(float Scale, long ZeroPoint)
{
    /// <summary>The grid of an int8 tensor with one scale, or null for a float (or per-channel) tensor.</summary>
    public static Int8Grid? Of(TfliteTensor tensor) =>
        tensor.Type == TfliteTensorType.Int8 && tensor.Quantization is { Scale.Length: 1 } q ? new Int8Grid(q.Scale[0], q.ZeroPoint[0]) : null;

    /// <summary>The nearest representable value (saturating at the ends of the int8 range).</summary>
    public Tensor Round(Tensor x)
    {
        using var scope = NewDisposeScope();
        var q = (x / Scale).round().add(ZeroPoint).clamp(-128, 127);
        return ((q - ZeroPoint) * Scale).MoveToOuterDisposeScope();
    }
}
