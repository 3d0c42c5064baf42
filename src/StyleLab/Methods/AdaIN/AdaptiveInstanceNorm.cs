using StyleLab.Losses;
using static TorchSharp.torch;

namespace StyleLab.Methods.AdaIN;

/// <summary>
/// The AdaIN operation (Huang &amp; Belongie 2017, eq. 8): <c>AdaIN(x, y) = σ(y)·(x − μ(x))/σ(x) + μ(y)</c>,
/// per channel — content features re-scaled and re-centred to the style's channel statistics.
/// </summary>
public static class AdaptiveInstanceNorm
{
    /// <summary>
    /// AdaIN of content features <paramref name="content"/> [N,C,H,W] with style features
    /// <paramref name="style"/> [N or 1,C,H',W'] (sizes may differ: only the style's statistics are used).
    /// </summary>
    public static Tensor Apply(Tensor content, Tensor style, double epsilon = ChannelStatistics.Epsilon)
    {
        if (content.dim() != 4 || style.dim() != 4 || content.shape[1] != style.shape[1])
            throw new ArgumentException(
                $"AdaIN needs content and style features [N,C,H,W] with the same channels; got [{string.Join(",", content.shape)}] and [{string.Join(",", style.shape)}].");
        using var scope = NewDisposeScope();
        var (styleMean, styleStd) = ChannelStatistics.MeanStd(style, epsilon);
        var normalized = ChannelStatistics.Normalize(content, epsilon);
        return (normalized * styleStd + styleMean).MoveToOuterDisposeScope();
    }
}
