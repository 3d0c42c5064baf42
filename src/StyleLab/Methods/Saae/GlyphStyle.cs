using SkiaSharp;

namespace StyleLab.Methods.Saae;

/// <summary>How the background of a synthetic character image is painted.</summary>
public enum GlyphBackground { Flat, Gradient, Texture }

/// <summary>
/// Every parameter of one synthetic "scene-text" style: the exemplar word and the training target are
/// both drawn with the same record, so the target is the content character in the exemplar's exact style.
/// Geometry is relative to the image height, so a 32×64 word and a 32×32 glyph look alike.
/// </summary>
/// <param name="Font">Index into <see cref="GlyphFonts"/>.</param>
/// <param name="Ink">Colour of the characters.</param>
/// <param name="Paper">Background colour (the flat colour, the gradient's start or the texture's base).</param>
/// <param name="Paper2">The gradient's end or the texture's second colour.</param>
/// <param name="Background">Flat, linear gradient or Perlin-noise texture.</param>
/// <param name="GradientAngle">Direction of the gradient, in radians.</param>
/// <param name="TextureFrequency">Perlin base frequency, in cycles per image height.</param>
/// <param name="TextureSeed">Perlin seed (Skia's noise is a pure function of it).</param>
/// <param name="Scale">Character height as a fraction of the image height.</param>
/// <param name="Rotation">In-plane rotation, in degrees.</param>
/// <param name="Skew">Horizontal shear (italic-like slant).</param>
/// <param name="PerspectiveX">Perspective foreshortening along x, per image height.</param>
/// <param name="PerspectiveY">Perspective foreshortening along y, per image height.</param>
/// <param name="Blur">Gaussian blur σ, as a fraction of the image height.</param>
/// <param name="Noise">Standard deviation of additive Gaussian pixel noise (in [0,1] units).</param>
/// <param name="NoiseSeed">Seed of that noise.</param>
public sealed record GlyphStyle(
    int Font, SKColor Ink, SKColor Paper, SKColor Paper2, GlyphBackground Background, float GradientAngle,
    float TextureFrequency, int TextureSeed, float Scale, float Rotation, float Skew, float PerspectiveX,
    float PerspectiveY, float Blur, float Noise, int NoiseSeed)
{
    /// <summary>The clean content style: black on white, upright, sharp, noise-free.</summary>
    public static GlyphStyle Clean(int font) => new(font, SKColors.Black, SKColors.White, SKColors.White,
        GlyphBackground.Flat, 0, 0, 0, 0.7f, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>A random style drawn from <paramref name="random"/> with a font from <paramref name="fonts"/>.</summary>
    public static GlyphStyle Draw(Random random, IReadOnlyList<int> fonts)
    {
        var background = (GlyphBackground)random.Next(3);
        var paper = RandomColour(random);
        var paper2 = background == GlyphBackground.Flat ? paper : Near(random, paper);
        // The ink must stand out from the background, else the character is invisible by design.
        SKColor ink;
        do ink = RandomColour(random);
        while (Math.Abs(Luminance(ink) - (Luminance(paper) + Luminance(paper2)) / 2) < 0.4);
        return new GlyphStyle(
            fonts[random.Next(fonts.Count)], ink, paper, paper2, background,
            GradientAngle: (float)(random.NextDouble() * 2 * Math.PI),
            TextureFrequency: (float)(1.5 + 4 * random.NextDouble()),
            TextureSeed: random.Next(1 << 20),
            Scale: (float)(0.6 + 0.15 * random.NextDouble()),
            Rotation: (float)(random.NextDouble() * 10 - 5),
            Skew: (float)(random.NextDouble() * 0.3 - 0.15),
            PerspectiveX: (float)(random.NextDouble() * 0.3 - 0.15),
            PerspectiveY: (float)(random.NextDouble() * 0.3 - 0.15),
            Blur: (float)(random.NextDouble() < 0.5 ? 0 : 0.025 * random.NextDouble()),
            Noise: (float)(random.NextDouble() < 0.5 ? 0 : 0.06 * random.NextDouble()),
            NoiseSeed: random.Next());
    }

    static SKColor RandomColour(Random random) =>
        new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));

    // A second background colour within ±90 per channel of the first: a gradient or texture, not a new scene.
    static SKColor Near(Random random, SKColor c)
    {
        byte Shift(byte v) => (byte)Math.Clamp(v + random.Next(-90, 91), 0, 255);
        return new SKColor(Shift(c.Red), Shift(c.Green), Shift(c.Blue));
    }

    /// <summary>Relative luminance (Rec. 601 weights on gamma-encoded values) in [0,1].</summary>
    public static double Luminance(SKColor c) => (0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue) / 255;
}
