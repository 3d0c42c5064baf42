using static TorchSharp.torch;

namespace StyleLab.Video;

/// <summary>
/// The Middlebury colour coding of a flow (Baker et al., IJCV 2011): hue = direction on the 55-colour wheel
/// (red, yellow, green, cyan, blue, magenta), saturation = magnitude relative to the largest (white = still).
/// </summary>
public static class FlowColorMap
{
    /// <summary>[N,3,H,W] in [0,1]; <paramref name="maxMagnitude"/> (pixels) fixes the scale across frames, else the flow's own maximum.</summary>
    public static Tensor Render(Tensor flow, double? maxMagnitude = null)
    {
        FlowWarp.RequireFlow(flow);
        using var scope = NewDisposeScope();
        var u = flow[.., 0..1];
        var v = flow[.., 1..2];
        var radius = (u.square() + v.square()).sqrt();
        double max = maxMagnitude ?? Math.Max(radius.max().item<float>(), 1e-6);
        var r = radius / max;
        var wheel = Wheel(flow.device);                               // [55,3]
        int n = (int)wheel.shape[0];
        var angle = atan2(-v, -u) / Math.PI;                          // (−1,1]
        var position = (angle + 1) / 2 * (n - 1);
        var k0 = position.floor().to(ScalarType.Int64).clamp(0, n - 1);
        var k1 = (k0 + 1).remainder(n);
        var f = position - position.floor();
        Tensor Pick(Tensor k) => wheel.index_select(0, k.flatten()).view(k.shape[0], k.shape[2], k.shape[3], 3).permute(0, 3, 1, 2);
        var colour = Pick(k0) * (1 - f) + Pick(k1) * f;
        var inside = r <= 1;
        colour = where(inside, 1 - r * (1 - colour), colour * 0.75);
        return colour.clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The Middlebury wheel: RY 15, YG 6, GC 4, CB 11, BM 13, MR 6 steps.</summary>
    static Tensor Wheel(Device device)
    {
        var rows = new List<float[]>();
        void Ramp(int steps, Func<float, float[]> colour) { for (int i = 0; i < steps; i++) rows.Add(colour(i / (float)steps)); }
        Ramp(15, t => [1, t, 0]);
        Ramp(6, t => [1 - t, 1, 0]);
        Ramp(4, t => [0, 1, t]);
        Ramp(11, t => [0, 1 - t, 1]);
        Ramp(13, t => [t, 0, 1]);
        Ramp(6, t => [1, 0, 1 - t]);
        return tensor(rows.SelectMany(r => r).ToArray(), [rows.Count, 3], device: device);
    }
}
