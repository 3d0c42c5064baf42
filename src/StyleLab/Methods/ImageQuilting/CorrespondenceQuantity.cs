namespace StyleLab.Methods.ImageQuilting;

/// <summary>The correspondence map C of texture transfer (Efros &amp; Freeman 2001, §3): what of the target a block must match.</summary>
public enum CorrespondenceQuantity
{
    /// <summary>Image luminance Y (Rec. 601, as in YIQ).</summary>
    Luminance,
    /// <summary>Luminance blurred by a Gaussian, so blocks follow the target's shading rather than its fine detail.</summary>
    BlurredLuminance,
}
