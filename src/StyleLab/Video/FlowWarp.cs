using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Video;

/// <summary>
/// Backward warping by a dense flow: <c>warped(x) = image(x + flow(x))</c>, bilinear, borders replicated.
/// Flows are [N,2,H,W] in pixels, channel 0 horizontal (u), channel 1 vertical (v); a flow from frame t to frame
/// t − 1 (where each pixel of t is found in t − 1) warps frame t − 1 onto frame t.
/// </summary>
public static class FlowWarp
{
    /// <summary><paramref name="image"/> [N,C,H,W] sampled at <c>x + flow(x)</c>; same shape.</summary>
    public static Tensor Warp(Tensor image, Tensor flow) => Warp(image, flow, GridSampleMode.Bilinear);

    /// <summary><see cref="Warp(Tensor, Tensor)"/> with a choice of interpolation (nearest: pixels copied, none blended).</summary>
    public static Tensor Warp(Tensor image, Tensor flow, GridSampleMode mode)
    {
        RequireFlow(flow, image);
        using var scope = NewDisposeScope();
        var grid = SamplingGrid(flow);
        return nn.functional.grid_sample(image, grid, mode, GridSamplePaddingMode.Border, align_corners: true)
            .MoveToOuterDisposeScope();
    }

    /// <summary>1 where <c>x + flow(x)</c> lies inside the image, else 0: [N,1,H,W].</summary>
    public static Tensor Inside(Tensor flow)
    {
        using var scope = NewDisposeScope();
        var (x, y) = Targets(flow);
        long h = flow.shape[2], w = flow.shape[3];
        return ((x >= 0) & (x <= w - 1) & (y >= 0) & (y <= h - 1)).to(flow.dtype).unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>The pixel coordinates <c>x + u</c> and <c>y + v</c>, [N,H,W] each.</summary>
    static (Tensor X, Tensor Y) Targets(Tensor flow)
    {
        long h = flow.shape[2], w = flow.shape[3];
        var xs = arange(w, dtype: flow.dtype, device: flow.device).view(1, 1, w);
        var ys = arange(h, dtype: flow.dtype, device: flow.device).view(1, h, 1);
        return (flow[.., 0] + xs, flow[.., 1] + ys);
    }

    /// <summary>grid_sample's grid [N,H,W,2] in [−1,1] (align_corners) for <c>x + flow(x)</c>.</summary>
    static Tensor SamplingGrid(Tensor flow)
    {
        long h = flow.shape[2], w = flow.shape[3];
        var (x, y) = Targets(flow);
        var gx = x * (2.0 / Math.Max(1, w - 1)) - 1;
        var gy = y * (2.0 / Math.Max(1, h - 1)) - 1;
        return stack([gx, gy], 3);
    }

    internal static void RequireFlow(Tensor flow, Tensor? like = null)
    {
        if (flow.dim() != 4 || flow.shape[1] != 2)
            throw new ArgumentException($"A flow is [N,2,H,W] (u, v in pixels); got [{string.Join(",", flow.shape)}].", nameof(flow));
        if (like is not null && (like.dim() != 4 || like.shape[0] != flow.shape[0] || like.shape[2] != flow.shape[2] || like.shape[3] != flow.shape[3]))
            throw new ArgumentException($"The image [{string.Join(",", like.shape)}] and the flow [{string.Join(",", flow.shape)}] differ in batch or size.", nameof(flow));
    }
}
