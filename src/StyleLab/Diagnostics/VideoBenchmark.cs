using System.Diagnostics;
using StyleLab.Encoders;
using StyleLab.Evaluation;
using StyleLab.Methods;
using StyleLab.Video;
using static TorchSharp.torch;

namespace StyleLab.Diagnostics;

/// <summary>Flow accuracy on a synthetic clip against its known motion (means over the frames after the first).</summary>
/// <param name="Clip">The clip's name.</param>
/// <param name="EndPointError">Mean ‖flow − truth‖ in pixels over the pixels visible in the previous frame.</param>
/// <param name="MaskAccuracy">Share of pixels where the full consistency mask (<see cref="OcclusionMask"/>) equals the true visibility.</param>
/// <param name="DisocclusionAccuracy">The same for the disocclusion test alone (without Ruder's motion-boundary band).</param>
/// <param name="HiddenMasked">Share of the truly hidden pixels the full mask excludes (recall); NaN where none are hidden.</param>
/// <param name="VisibleKept">Share of the truly visible pixels the full mask keeps.</param>
public sealed record FlowAccuracy(string Clip, double EndPointError, double MaskAccuracy, double DisocclusionAccuracy, double HiddenMasked, double VisibleKept);

/// <summary>One stylisation of a clip: its flicker and its style fit.</summary>
/// <param name="Method">The method's name.</param>
/// <param name="Temporal">The temporal mode.</param>
/// <param name="WarpingError">Mean warping error (Lai et al.) over the frames after the first.</param>
/// <param name="GramLoss">Mean Gram style loss of every frame against the style (<see cref="StyleMetrics"/>).</param>
/// <param name="Seconds">Wall time for the clip.</param>
public sealed record FlickerResult(string Method, TemporalMode Temporal, double WarpingError, double GramLoss, double Seconds);

/// <summary>
/// The measurements of the video README section (<c>stylelab bench video</c>): flow end-point error and mask accuracy on
/// <see cref="SyntheticVideo"/> clips, warping error and style loss per temporal mode, and frames per second with the
/// flow included.
/// </summary>
public static class VideoBenchmark
{
    /// <summary>Flow and mask accuracy of <see cref="OpticalFlow"/> on <paramref name="clip"/>.</summary>
    public static FlowAccuracy Flow(string name, SyntheticVideo clip, OpticalFlowOptions? options = null)
    {
        double epe = 0, accuracy = 0, disocclusion = 0, hiddenMasked = 0, visibleKept = 0;
        int hiddenFrames = 0, n = clip.Frames.Count - 1;
        for (int t = 1; t <= n; t++)
        {
            using var scope = NewDisposeScope();
            var backward = OpticalFlow.Compute(clip.Frames[t], clip.Frames[t - 1], options);
            var forward = OpticalFlow.Compute(clip.Frames[t - 1], clip.Frames[t], options);
            var mask = OcclusionMask.Compute(backward, forward);
            var (disoccluded, _, _) = OcclusionMask.Parts(backward, forward);
            var visible = clip.Visible[t - 1];
            var hidden = 1 - visible;
            epe += Mean((backward - clip.Flows[t - 1]).square().sum(1, keepdim: true).sqrt(), visible);
            accuracy += (mask == visible).to(ScalarType.Float32).mean().item<float>();
            disocclusion += ((1 - disoccluded) == visible).to(ScalarType.Float32).mean().item<float>();
            visibleKept += Mean(mask, visible);
            if (hidden.sum().item<float>() > 0)
            {
                hiddenMasked += Mean(1 - mask, hidden);
                hiddenFrames++;
            }
        }
        return new FlowAccuracy(name, epe / n, accuracy / n, disocclusion / n, hiddenFrames > 0 ? hiddenMasked / hiddenFrames : double.NaN, visibleKept / n);
    }

    /// <summary>
    /// Stylises <paramref name="clip"/> with <paramref name="method"/> under <paramref name="options"/>; the Gram loss is
    /// measured with <paramref name="encoder"/> against <paramref name="style"/>.
    /// </summary>
    public static FlickerResult Flicker(string name, IStyleTransfer method, IReadOnlyList<Tensor> styles, SyntheticVideo clip, VideoOptions options,
        Vgg19Encoder encoder, Tensor style, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var stylizer = new VideoStylizer(method, styles, options);
        var errors = new List<double>();
        var gram = new List<double>();
        foreach (var frame in clip.Frames)
        {
            using var result = stylizer.Next(frame, cancellationToken: cancellationToken);
            if (result.WarpingError is { } e) errors.Add(e);
            gram.Add(StyleMetrics.Measure(encoder, result.Image, frame, style).GramLoss);
        }
        return new FlickerResult(name, options.Temporal, errors.Average(), gram.Average(), clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Frames per second of <see cref="VideoStylizer"/> over <paramref name="clip"/> (flow, warp, blend and the warping
    /// error included), after the first frame, which warms up and has no flow.
    /// </summary>
    public static double Throughput(IStyleTransfer method, IReadOnlyList<Tensor> styles, SyntheticVideo clip, VideoOptions options,
        CancellationToken cancellationToken = default)
    {
        using var stylizer = new VideoStylizer(method, styles, options);
        using (stylizer.Next(clip.Frames[0], cancellationToken: cancellationToken)) { }
        var clock = Stopwatch.StartNew();
        for (int t = 1; t < clip.Frames.Count; t++)
            using (stylizer.Next(clip.Frames[t], cancellationToken: cancellationToken)) { }
        return (clip.Frames.Count - 1) / clock.Elapsed.TotalSeconds;
    }

    static double Mean(Tensor values, Tensor weights) => (values * weights).sum().item<float>() / Math.Max(weights.sum().item<float>(), 1e-12);
}
