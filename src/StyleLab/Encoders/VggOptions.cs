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
