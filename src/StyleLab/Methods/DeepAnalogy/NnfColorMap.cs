using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// Colour codes for looking at a field (visualisation data, [1,3,H,W] RGB in [0,1]; front ends decide
/// how to show them).
/// <list type="bullet">
/// <item><see cref="Coordinates"/>: each source pixel gets the colour of the target position it
/// matches, read off <see cref="Key"/> — a smooth, layout-preserving field looks like a (warped)
/// copy of the key, a scrambled one like confetti, and the colour says where each region came from.</item>
/// <item><see cref="Displacement"/>: optical-flow style, hue = direction of φ(p) − p, saturation =
/// its length; white where a pixel matches the same place.</item>
/// </list>
/// </summary>
public static class NnfColorMap
{
    /// <summary>The colour of every target position for a <paramref name="height"/>×<paramref name="width"/> grid: red grows with x, green with y, blue fades from the top-left corner.</summary>
    public static Tensor Key(int height, int width, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var (ys, xs) = Nnf.Grid(height, width, device);
        return Colour(ys, xs, height, width).MoveToOuterDisposeScope();
    }

    /// <summary>The field coloured by target position, on the source grid.</summary>
    public static Tensor Coordinates(Nnf field)
    {
        using var scope = NewDisposeScope();
        return Colour(field.Coordinates[.., .., 0], field.Coordinates[.., .., 1], field.TargetHeight, field.TargetWidth)
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The displacement coloured by direction (hue) and length (saturation, full at
    /// <paramref name="maxDisplacement"/>, by default the longest displacement in the field).
    /// </summary>
    public static Tensor Displacement(Nnf field, float? maxDisplacement = null)
    {
        using var scope = NewDisposeScope();
        var offsets = field.Offsets().to(ScalarType.Float32);
        var (dy, dx) = (offsets[.., .., 0], offsets[.., .., 1]);
        var length = (dy.square() + dx.square()).sqrt();
        float max = maxDisplacement ?? Math.Max(length.max().item<float>(), 1f);
        var hue = (atan2(dy, dx) / (2 * Math.PI) + 1).remainder(1);
        var saturation = (length / max).clamp(0, 1);
        // HSV → RGB with V = 1: channel n is 1 − S·clamp(min(k, 4 − k), 0, 1), k = (n + 6H) mod 6.
        var channels = new[] { 5, 3, 1 }.Select(n =>
        {
            var k = (hue * 6 + n).remainder(6);
            return 1 - saturation * minimum(k, 4 - k).clamp(0, 1);
        });
        return stack(channels.ToArray(), 0).unsqueeze(0).MoveToOuterDisposeScope();
    }

    static Tensor Colour(Tensor ys, Tensor xs, int height, int width)
    {
        var y = ys.to(ScalarType.Float32) / Math.Max(height - 1, 1);
        var x = xs.to(ScalarType.Float32) / Math.Max(width - 1, 1);
        return stack([x, y, 1 - (x + y) / 2], 0).unsqueeze(0);
    }
}
