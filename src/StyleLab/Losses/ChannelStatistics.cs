using static TorchSharp.torch;

namespace StyleLab.Losses;

/// <summary>
/// Per-channel statistics of feature maps, as the arbitrary-style papers use them: the mean μ and the
/// standard deviation σ over the spatial positions of each channel of each image.
/// </summary>
public static class ChannelStatistics
{
    /// <summary>The ε the official AdaIN/SANet code adds to the variance before the square root.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>
    /// μ and σ of features [N,C,H,W], each [N,C,1,1]. As the official <c>calc_mean_std</c>: the unbiased
    /// variance over H·W, plus <paramref name="epsilon"/>, square-rooted.
    /// </summary>
    public static (Tensor Mean, Tensor Std) MeanStd(Tensor features, double epsilon = Epsilon)
    {
        if (features.dim() != 4)
            throw new ArgumentException($"Expected features [N,C,H,W]; got [{string.Join(",", features.shape)}].", nameof(features));
        using var scope = NewDisposeScope();
        long n = features.shape[0], c = features.shape[1];
        var flat = features.reshape(n, c, -1);
        var std = (flat.var(2) + epsilon).sqrt().reshape(n, c, 1, 1);
        var mean = flat.mean([2]).reshape(n, c, 1, 1);
        return (mean.MoveToOuterDisposeScope(), std.MoveToOuterDisposeScope());
    }

    /// <summary>Features with every channel at zero mean and unit σ (SANet's <c>mean_variance_norm</c>).</summary>
    public static Tensor Normalize(Tensor features, double epsilon = Epsilon)
    {
        var (mean, std) = MeanStd(features, epsilon);
        using (mean)
        using (std)
        using (var centred = features - mean)
            return centred / std;
    }
}
