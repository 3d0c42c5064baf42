using static TorchSharp.torch;

namespace StyleLab.Video;

/// <summary>
/// Where a flow can be trusted, by forward–backward consistency (Sundaram, Brox &amp; Keutzer 2010, with the
/// thresholds of Ruder, Dosovitskiy &amp; Brox 2016): for the backward flow ŵ (frame t → t − 1) and the forward flow w
/// (t − 1 → t), w̃(x) = w(x + ŵ(x)); a pixel of frame t is <b>disoccluded</b> when
/// <c>|w̃ + ŵ|² &gt; 0.01 (|w̃|² + |ŵ|²) + 0.5</c>, on a <b>motion boundary</b> when
/// <c>|∇û|² + |∇v̂|² &gt; 0.01 |ŵ|² + 0.002</c>, and <b>outside</b> when x + ŵ(x) leaves frame t − 1.
/// The mask c is 1 elsewhere and 0 there, [N,1,H,W].
/// </summary>
public static class OcclusionMask
{
    /// <summary>The consistency mask c of frame t from its backward and forward flows.</summary>
    public static Tensor Compute(Tensor backward, Tensor forward)
    {
        var parts = Parts(backward, forward);
        using (parts.Disoccluded) using (parts.MotionBoundary) using (parts.Outside)
            return 1 - (parts.Disoccluded + parts.MotionBoundary + parts.Outside).clamp(0, 1);
    }

    /// <summary>The three reasons apart (1 where each holds), for views and tests.</summary>
    public static (Tensor Disoccluded, Tensor MotionBoundary, Tensor Outside) Parts(Tensor backward, Tensor forward)
    {
        FlowWarp.RequireFlow(backward, forward);
        FlowWarp.RequireFlow(forward);
        using var scope = NewDisposeScope();
        var warpedForward = FlowWarp.Warp(forward, backward);
        var sum = (warpedForward + backward).square().sum(1, keepdim: true);
        var magnitudes = warpedForward.square().sum(1, keepdim: true) + backward.square().sum(1, keepdim: true);
        var disoccluded = (sum > magnitudes * 0.01 + 0.5).to(backward.dtype);
        var boundary = (GradientSquared(backward) > backward.square().sum(1, keepdim: true) * 0.01 + 0.002).to(backward.dtype);
        var outside = 1 - FlowWarp.Inside(backward);
        return (disoccluded.MoveToOuterDisposeScope(), boundary.MoveToOuterDisposeScope(), outside.MoveToOuterDisposeScope());
    }

    /// <summary>|∇u|² + |∇v|² by forward differences (zero at the last row and column).</summary>
    static Tensor GradientSquared(Tensor flow)
    {
        var dx = nn.functional.pad(flow[.., .., .., 1..] - flow[.., .., .., ..^1], [0, 1, 0, 0]);
        var dy = nn.functional.pad(flow[.., .., 1.., ..] - flow[.., .., ..^1, ..], [0, 0, 0, 1]);
        return (dx.square() + dy.square()).sum(1, keepdim: true);
    }
}
