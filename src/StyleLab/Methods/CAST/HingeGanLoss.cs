using static TorchSharp.torch;

namespace StyleLab.Methods.CAST;

/// <summary>
/// The hinge GAN objective of the official <c>GANLoss('hinge')</c>, CAST's default: for a "real" target
/// −mean(min(D − 1, 0)), for a "fake" target −mean(min(−D − 1, 0)). The generator uses the "real" form
/// on its fakes (not −mean(D)), as the official code does.
/// </summary>
public static class HingeGanLoss
{
    /// <summary>The loss of patch logits <paramref name="prediction"/> against a real or fake target.</summary>
    public static Tensor Compute(Tensor prediction, bool targetIsReal)
    {
        using var scope = NewDisposeScope();
        var margin = targetIsReal ? prediction - 1 : -prediction - 1;
        return (-margin.clamp_max(0).mean()).MoveToOuterDisposeScope();
    }
}
