using StyleLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Video;

/// <summary>
/// Dense optical flow, classical: coarse-to-fine Lucas–Kanade with iterative warping (Lucas &amp; Kanade 1981;
/// Bouguet's pyramid). At each level the second frame is warped by the current flow and every pixel solves the
/// 2×2 system <c>(M + λI) Δw = −b</c>, <c>M = G_σ * [Ix² IxIy; IxIy Iy²]</c>, <c>b = G_σ * [Ix It; Iy It]</c>; the
/// ridge λ keeps untextured regions at the coarser estimate. Pure tensor code: it runs wherever TorchSharp does.
/// </summary>
public static class OpticalFlow
{
    /// <summary>
    /// The flow from <paramref name="from"/> to <paramref name="to"/> (both [1,3,H,W] or [1,1,H,W] in [0,1]):
    /// [1,2,H,W] in pixels such that <c>from(x) ≈ to(x + flow(x))</c>, i.e. <see cref="FlowWarp.Warp"/>(to, flow) ≈ from.
    /// </summary>
    public static Tensor Compute(Tensor from, Tensor to, OpticalFlowOptions? options = null)
    {
        options ??= OpticalFlowOptions.Default;
        options.Validate();
        if (from.dim() != 4 || to.dim() != 4 || !from.shape.SequenceEqual(to.shape) || from.shape[1] is not (1 or 3))
            throw new ArgumentException($"Optical flow needs two images of one shape [N,3,H,W] or [N,1,H,W]; got [{string.Join(",", from.shape)}] and [{string.Join(",", to.shape)}].");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var first = Pyramid(Gray(from), options);
        var second = Pyramid(Gray(to), options);
        Tensor? flow = null;
        for (int level = first.Count - 1; level >= 0; level--)
        {
            var a = first[level];
            var b = second[level];
            long h = a.shape[2], w = a.shape[3];
            flow = flow is null ? zeros([a.shape[0], 2, h, w], a.dtype, a.device) : Upsample(flow, h, w);
            for (int i = 0; i < options.Iterations; i++)
            {
                var (step, confidence) = Increment(a, FlowWarp.Warp(b, flow), options);
                flow = flow + (options.SmoothingSigma > 0 ? FillIn(step, confidence, options.SmoothingSigma) : step);
            }
        }
        return flow!.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Normalised convolution (Knutsson &amp; Westin 1993): each update averaged over a Gaussian neighbourhood, each
    /// vector weighted by its confidence, so untextured regions (sky, walls), where Lucas–Kanade cannot tell the
    /// motion, take it from the textured regions around them.
    /// </summary>
    static Tensor FillIn(Tensor flow, Tensor confidence, double sigma) =>
        GaussianBlur.Apply(flow * confidence, sigma) / (GaussianBlur.Apply(confidence, sigma) + 1e-12);

    /// <summary>
    /// One Lucas–Kanade update for frame <paramref name="a"/> against the warped second frame, and each pixel's
    /// confidence: the structure tensor's smaller eigenvalue (large only where the window has texture in two directions).
    /// </summary>
    static (Tensor Step, Tensor Confidence) Increment(Tensor a, Tensor warped, OpticalFlowOptions options)
    {
        var mean = (a + warped) * 0.5;
        var ix = Derivative(mean, horizontal: true);
        var iy = Derivative(mean, horizontal: false);
        var it = warped - a;
        // The five window sums in one blur: [Ix², IxIy, Iy², IxIt, IyIt].
        var sums = GaussianBlur.Apply(cat([ix * ix, ix * iy, iy * iy, ix * it, iy * it], 1), options.WindowSigma);
        var lambda = options.Regularization;
        var sxx = sums[.., 0..1] + lambda;
        var sxy = sums[.., 1..2];
        var syy = sums[.., 2..3] + lambda;
        var bx = sums[.., 3..4];
        var by = sums[.., 4..5];
        var det = sxx * syy - sxy * sxy;
        var du = -(syy * bx - sxy * by) / det;
        var dv = -(sxx * by - sxy * bx) / det;
        // A step larger than a pixel or two at one level is the linearisation failing, not motion: clamp it.
        var half = (sxx + syy) * 0.5;
        var confidence = (half - ((sxx - syy).square() * 0.25 + sxy.square()).sqrt()).clamp_min(0);
        return (cat([du, dv], 1).clamp(-2, 2), confidence);
    }

    /// <summary>Central differences, replicated borders.</summary>
    static Tensor Derivative(Tensor image, bool horizontal)
    {
        var padded = nn.functional.pad(image, horizontal ? [1, 1, 0, 0] : [0, 0, 1, 1], PaddingModes.Replicate);
        long h = image.shape[2], w = image.shape[3];
        return horizontal
            ? (padded[.., .., .., 2..(int)(w + 2)] - padded[.., .., .., 0..(int)w]) * 0.5
            : (padded[.., .., 2..(int)(h + 2), ..] - padded[.., .., 0..(int)h, ..]) * 0.5;
    }

    /// <summary>The flow at a finer level's size, its vectors scaled with it.</summary>
    static Tensor Upsample(Tensor flow, long height, long width)
    {
        double sx = width / (double)flow.shape[3], sy = height / (double)flow.shape[2];
        var up = nn.functional.interpolate(flow, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        return cat([up[.., 0..1] * sx, up[.., 1..2] * sy], 1);
    }

    static Tensor Gray(Tensor image) => image.shape[1] == 1 ? image.to(ScalarType.Float32)
        : (image[.., 0..1] * 0.299 + image[.., 1..2] * 0.587 + image[.., 2..3] * 0.114).to(ScalarType.Float32);

    /// <summary>The image blurred and halved until the shorter side would drop below the minimum.</summary>
    static List<Tensor> Pyramid(Tensor image, OpticalFlowOptions options)
    {
        var levels = new List<Tensor> { image };
        while (levels.Count < options.Levels && Math.Min(levels[^1].shape[2], levels[^1].shape[3]) / 2 >= options.MinimumSide)
            levels.Add(nn.functional.avg_pool2d(GaussianBlur.Apply(levels[^1], 1.0), 2));
        return levels;
    }
}
