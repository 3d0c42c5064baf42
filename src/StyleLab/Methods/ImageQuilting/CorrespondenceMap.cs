using StyleLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.ImageQuilting;

/// <summary>Computes a <see cref="CorrespondenceQuantity"/> for an image.</summary>
public static class CorrespondenceMap
{
    /// <summary>C(image) as [1,1,H,W] for an RGB image [1,3,H,W] in [0,1].</summary>
    public static Tensor Of(Tensor image, CorrespondenceQuantity quantity, double blurSigma)
    {
        using var scope = NewDisposeScope();
        var luminance = ColorTransfer.RgbToYiq(image).narrow(1, 0, 1);
        var map = quantity == CorrespondenceQuantity.BlurredLuminance ? GaussianBlur.Apply(luminance, blurSigma) : luminance;
        return map.MoveToOuterDisposeScope();
    }
}
