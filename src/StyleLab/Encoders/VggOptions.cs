namespace StyleLab.Encoders;

/// <summary>Max pooling (the trained network) or average pooling (Gatys et al.: smoother gradients).</summary>
public enum VggPooling { Max, Average }

/// <summary>Zero padding (the trained network) or reflection padding (AdaIN, WCT, SANet: fewer border artefacts).</summary>
public enum VggPadding { Zero, Reflection }

/// <summary>How the VGG-19 encoder computes; the weights decide the preprocessing.</summary>
/// <param name="Pooling">Max or average pooling.</param>
/// <param name="Padding">Zero or reflection padding for the 3×3 convolutions.</param>
/// <param name="CeilMode">Round pooled sizes up (the official AdaIN/SANet encoders use <c>ceil_mode=True</c>).</param>
public sealed record VggOptions(VggPooling Pooling = VggPooling.Max, VggPadding Padding = VggPadding.Zero, bool CeilMode = false);

/// <summary>Named encoder set-ups.</summary>
public static class VggPresets
{
    /// <summary>
    /// The "normalised" VGG of the arbitrary-style papers' official code (AdaIN, SANet, CAST, WCT):
    /// max pooling with <c>ceil_mode=True</c> and reflection padding. Use it with the official
    /// <c>vgg_normalised.pth</c>, or with ImageNet VGG weights (e.g. ../shared's partial file) offline.
    /// </summary>
    public static VggOptions Normalised { get; } = new(VggPooling.Max, VggPadding.Reflection, CeilMode: true);
}
