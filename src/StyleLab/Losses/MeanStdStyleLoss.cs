using static TorchSharp.torch;

namespace StyleLab.Losses;

/// <summary>
/// The style loss of AdaIN (Huang &amp; Belongie 2017, eq. 12), also SANet's: at one layer,
/// <c>‖μ(φ(g)) − μ(φ(s))‖₂ + ‖σ(φ(g)) − σ(φ(s))‖₂</c>, computed as the official code does — mean
/// squared errors (<c>nn.MSELoss</c>) of the per-channel means and standard deviations.
/// </summary>
public static class MeanStdStyleLoss
{
    /// <summary>The loss between generated features and style features [N,C,H,W] (sizes may differ).</summary>
    public static Tensor Compute(Tensor generated, Tensor style)
    {
        using var scope = NewDisposeScope();
        var (generatedMean, generatedStd) = ChannelStatistics.MeanStd(generated);
        var (styleMean, styleStd) = ChannelStatistics.MeanStd(style);
        var loss = nn.functional.mse_loss(generatedMean, styleMean) + nn.functional.mse_loss(generatedStd, styleStd);
        return loss.MoveToOuterDisposeScope();
    }
}
