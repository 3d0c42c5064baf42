namespace StyleLab.Methods.ImageAnalogies;

/// <summary>Where B′'s colour comes from.</summary>
public enum AnalogyColor
{
    /// <summary>The paper's choice for filters: synthesise luminance (Y of YIQ) and take the chrominance (I, Q) of B.</summary>
    ChrominanceOfB,
    /// <summary>Copy A′'s RGB at each matched pixel: texture-by-numbers and texture synthesis, where B has no colour to keep.</summary>
    ColorOfAPrime,
}
