namespace StyleLab.Methods.Gatys;

/// <summary>The image the optimisation starts from.</summary>
public enum GatysInit
{
    /// <summary>The content image: converges fastest and keeps the most structure.</summary>
    Content,
    /// <summary>White noise (uniform in [0,1], from <see cref="GatysOptions.Seed"/>), as in the paper: each seed gives another result.</summary>
    Noise,
    /// <summary>The style image resized to the content's size.</summary>
    Style,
}
