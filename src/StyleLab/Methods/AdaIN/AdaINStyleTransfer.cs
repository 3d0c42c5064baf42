using StyleLab.Imaging;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.AdaIN;

/// <summary>
/// AdaIN style transfer (Huang &amp; Belongie 2017): encode, re-normalise the content features to the
/// style's channel statistics, decode — with the paper's run-time controls (§7.3) as parameters of one
/// call, as the official <c>style_transfer()</c>: α trade-off, interpolation between styles, spatial
/// control with a mask, colour preservation.
/// </summary>
public static class AdaINStyleTransfer
{
    /// <summary>
    /// Stylises <paramref name="content"/> [N,3,H,W] in [0,1] with one or more <paramref name="styles"/>
    /// ([1 or N,3,h,w] each, any sizes). With a <paramref name="mask"/> exactly two styles are needed: the
    /// first goes where the mask is white (&gt; 0.5), the second elsewhere. Returns [N,3,H,W] in [0,1];
    /// the decoder's output (a multiple of the encoder's stride) is cropped back to the content's size.
    /// </summary>
    /// <param name="model">The encoder–decoder pair.</param>
    /// <param name="content">Content images [N,3,H,W] in [0,1].</param>
    /// <param name="styles">Style images, one per style.</param>
    /// <param name="options">α, interpolation weights, colour preservation.</param>
    /// <param name="mask">[H,W], [1,H,W] or [1,1,H,W] at any size; resized to the features by nearest neighbour.</param>
    public static Tensor Stylize(AdaINModel model, Tensor content, IReadOnlyList<Tensor> styles,
        AdaINOptions? options = null, Tensor? mask = null)
    {
        options ??= new AdaINOptions();
        if (styles.Count == 0) throw new ArgumentException("AdaIN needs at least one style image.", nameof(styles));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var contentFeatures = model.Encode(content);
        var styleFeatures = styles
            .Select(s => model.Encode(options.PreserveColor ? ColorTransfer.MatchColorStatistics(s, content) : s))
            .ToList();
        var target = TransformFeatures(contentFeatures, styleFeatures, options, mask);
        var image = model.Decode(target);
        long h = content.shape[2], w = content.shape[3];
        if (image.shape[2] > h || image.shape[3] > w) image = image[.., .., ..(int)h, ..(int)w];
        return image.clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The feature-space part of <see cref="Stylize"/>: the target <c>t</c> the decoder inverts, from content
    /// features [N,C,H,W] and one or more style features [1 or N,C,h,w]. Without a mask:
    /// <c>t = α·Σ_k w_k·AdaIN(f(c), f(s_k)) + (1−α)·f(c)</c>. With a mask (two styles): each region of the
    /// content features is normalised with its own statistics and given its style's (as the original
    /// Torch <c>test.lua</c> does), then blended with f(c) by α.
    /// </summary>
    public static Tensor TransformFeatures(Tensor contentFeatures, IReadOnlyList<Tensor> styleFeatures,
        AdaINOptions? options = null, Tensor? mask = null)
    {
        options ??= new AdaINOptions();
        double alpha = options.Alpha;
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(options), alpha, "α must lie in [0, 1].");
        if (styleFeatures.Count == 0) throw new ArgumentException("AdaIN needs at least one style.", nameof(styleFeatures));
        using var scope = NewDisposeScope();
        Tensor stylised;
        if (mask is not null)
        {
            if (styleFeatures.Count != 2)
                throw new ArgumentException($"Spatial control takes exactly two styles (the mask's white region, then the rest); got {styleFeatures.Count}.", nameof(styleFeatures));
            if (options.StyleWeights is not null)
                throw new ArgumentException("Style weights and a mask cannot be combined: the mask decides where each style goes.", nameof(options));
            stylised = MaskedAdaIN(contentFeatures, styleFeatures[0], styleFeatures[1], mask);
        }
        else
        {
            var weights = NormalisedWeights(options.StyleWeights, styleFeatures.Count);
            stylised = zeros_like(contentFeatures);
            for (int k = 0; k < styleFeatures.Count; k++)
                stylised = stylised + weights[k] * AdaptiveInstanceNorm.Apply(contentFeatures, styleFeatures[k]);
        }
        // The official order of operations (test.py): feat·α + f(c)·(1 − α); α = 0 gives f(c) exactly.
        var target = stylised * alpha + contentFeatures * (1 - alpha);
        return target.MoveToOuterDisposeScope();
    }

    /// <summary>The interpolation weights divided by their sum (official <c>test.py</c>); equal weights when null.</summary>
    public static double[] NormalisedWeights(IReadOnlyList<double>? weights, int styles)
    {
        if (weights is null) return Enumerable.Repeat(1.0 / styles, styles).ToArray();
        if (weights.Count != styles)
            throw new ArgumentException($"{weights.Count} style weights for {styles} styles: give one weight per style.", nameof(weights));
        double sum = weights.Sum();
        if (weights.Any(w => !(w >= 0)) || !(sum > 0 && double.IsFinite(sum)))
            throw new ArgumentException($"Style weights must be finite, ≥ 0, with a positive sum; got {string.Join(",", weights)}.", nameof(weights));
        return weights.Select(w => w / sum).ToArray();
    }

    static Tensor MaskedAdaIN(Tensor content, Tensor firstStyle, Tensor secondStyle, Tensor mask)
    {
        using var scope = NewDisposeScope();
        long n = content.shape[0], c = content.shape[1], h = content.shape[2], w = content.shape[3];
        var m = mask.dim() switch
        {
            2 => mask.view(1, 1, mask.shape[0], mask.shape[1]),
            3 => mask.unsqueeze(0),
            4 => mask,
            _ => throw new ArgumentException($"A mask is [H,W], [1,H,W] or [1,1,H,W]; got [{string.Join(",", mask.shape)}]."),
        };
        if (m.shape[0] != 1 || m.shape[1] != 1)
            throw new ArgumentException($"A mask is one black/white channel; got [{string.Join(",", mask.shape)}].");
        // Nearest neighbour, as the original's image.scale(mask, W, H, 'simple').
        var region = F.interpolate(m.to(content.device).to(ScalarType.Float32), [h, w], mode: InterpolationMode.Nearest)
            .gt(0.5).view(h * w);
        var result = empty_like(content).view(n, c, h * w);
        var flat = content.view(n, c, h * w);
        foreach (var (positions, style) in new[] { (region.nonzero().view(-1), firstStyle), (region.logical_not().nonzero().view(-1), secondStyle) })
        {
            long count = positions.shape[0];
            if (count == 0) continue;
            var part = flat.index_select(2, positions).unsqueeze(3);                   // [N,C,P,1]
            var transformed = count > 1
                ? AdaptiveInstanceNorm.Apply(part, style)
                : ChannelStatistics.MeanStd(style).Mean.expand_as(part).contiguous(); // one position has no σ: it takes the style's mean
            result.index_copy_(2, positions, transformed.view(n, c, count));
        }
        return result.view(n, c, h, w).MoveToOuterDisposeScope();
    }
}
