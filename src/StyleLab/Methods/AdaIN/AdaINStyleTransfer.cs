using StyleLab.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.AdaIN;

/// <summary>
/// AdaIN's feature transform with the paper's run-time controls (Huang &amp; Belongie 2017, §7.3): α trade-off,
/// interpolation between styles, spatial control with a mask. <see cref="AdaINModel.Stylize(Tensor, IReadOnlyList{Tensor}, AdaINOptions?, Tensor?)"/>
/// wraps it between the encoder and the decoder, as the official <c>style_transfer()</c>.
/// </summary>
public static class AdaINStyleTransfer
{
    /// <summary>
    /// The feature-space part of <see cref="AdaINModel.Stylize(Tensor, IReadOnlyList{Tensor}, AdaINOptions?, Tensor?)"/>: the target <c>t</c> the decoder inverts, from content
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
            var weights = StyleWeights.Normalise(options.StyleWeights, styleFeatures.Count);
            stylised = zeros_like(contentFeatures);
            for (int k = 0; k < styleFeatures.Count; k++)
                stylised = stylised + weights[k] * AdaptiveInstanceNorm.Apply(contentFeatures, styleFeatures[k]);
        }
        // The official order of operations (test.py): feat·α + f(c)·(1 − α); α = 0 gives f(c) exactly.
        var target = stylised * alpha + contentFeatures * (1 - alpha);
        return target.MoveToOuterDisposeScope();
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
