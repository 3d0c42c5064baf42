using SkiaSharp;
using StyleLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>
/// Draws text in a <see cref="GlyphStyle"/> with SkiaSharp: background, the text centred on its ink
/// bounds under a slight perspective, blur, then pixel noise. A pure function of its arguments.
/// </summary>
public sealed class GlyphRenderer(GlyphFonts fonts)
{
    /// <summary>The fonts styles refer to.</summary>
    public GlyphFonts Fonts { get; } = fonts ?? throw new ArgumentNullException(nameof(fonts));

    /// <summary>
    /// <paramref name="text"/> drawn in <paramref name="style"/> on a <paramref name="width"/>×<paramref name="height"/>
    /// image: [1,3,H,W] float32 in [0,1] on the CPU.
    /// </summary>
    public Tensor Render(string text, GlyphStyle style, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var drawn = new SKBitmap(info);
        using (var canvas = new SKCanvas(drawn))
        {
            PaintBackground(canvas, style, width, height);
            DrawText(canvas, text, style, width, height);
        }
        using var blurred = Blur(drawn, style.Blur * height);
        var image = SkiaBitmaps.ToTensor(blurred);
        if (style.Noise <= 0) return image;
        using (image)
        using (var generator = new Generator((ulong)style.NoiseSeed))
        using (var noise = randn(image.shape, generator: generator))
            return (image + style.Noise * noise).clamp_(0, 1);
    }

    static void PaintBackground(SKCanvas canvas, GlyphStyle style, int width, int height)
    {
        canvas.Clear(style.Paper);
        if (style.Background == GlyphBackground.Flat) return;
        using var paint = new SKPaint();
        if (style.Background == GlyphBackground.Gradient)
        {
            // The gradient runs across the image's inscribed circle, so its slope is the same at any aspect.
            float cx = width / 2f, cy = height / 2f, r = height / 2f;
            var d = new SKPoint(MathF.Cos(style.GradientAngle) * r, MathF.Sin(style.GradientAngle) * r);
            paint.Shader = SKShader.CreateLinearGradient(new SKPoint(cx - d.X, cy - d.Y), new SKPoint(cx + d.X, cy + d.Y),
                [style.Paper, style.Paper2], SKShaderTileMode.Clamp);
        }
        else
        {
            // Perlin noise's red channel becomes the opacity of the second colour over the first.
            float frequency = style.TextureFrequency / height;
            paint.Shader = SKShader.CreatePerlinNoiseFractalNoise(frequency, frequency, 3, style.TextureSeed);
            var (r, g, b) = (style.Paper2.Red / 255f, style.Paper2.Green / 255f, style.Paper2.Blue / 255f);
            paint.ColorFilter = SKColorFilter.CreateColorMatrix(
            [
                0, 0, 0, 0, r,
                0, 0, 0, 0, g,
                0, 0, 0, 0, b,
                2.5f, 0, 0, 0, -0.6f,
            ]);
        }
        canvas.DrawRect(0, 0, width, height, paint);
    }

    void DrawText(SKCanvas canvas, string text, GlyphStyle style, int width, int height)
    {
        using var font = new SKFont(Fonts[style.Font], size: height);
        font.Edging = SKFontEdging.Antialias;
        font.MeasureText(text, out var bounds);
        if (bounds.Width <= 0 || bounds.Height <= 0) return;
        // Fit the ink box: Scale of the height, and at most 90 % of the width.
        float scale = Math.Min(style.Scale * height / bounds.Height, 0.9f * width / bounds.Width);
        float persp = 1f / height;
        var placement = SKMatrix.CreateTranslation(width / 2f, height / 2f)
            .PreConcat(new SKMatrix(1, 0, 0, 0, 1, 0, style.PerspectiveX * persp, style.PerspectiveY * persp, 1))
            .PreConcat(SKMatrix.CreateRotationDegrees(style.Rotation))
            .PreConcat(SKMatrix.CreateSkew(-style.Skew, 0))
            .PreConcat(SKMatrix.CreateScale(scale, scale))
            .PreConcat(SKMatrix.CreateTranslation(-bounds.MidX, -bounds.MidY));
        canvas.Save();
        canvas.SetMatrix(placement);
        using var paint = new SKPaint { Color = style.Ink, IsAntialias = true };
        canvas.DrawText(text, 0, 0, SKTextAlign.Left, font, paint);
        canvas.Restore();
    }

    static SKBitmap Blur(SKBitmap source, float sigma)
    {
        var copy = new SKBitmap(source.Info);
        using var canvas = new SKCanvas(copy);
        using var paint = new SKPaint();
        if (sigma > 0.05f) paint.ImageFilter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp);
        canvas.DrawBitmap(source, 0, 0, SKSamplingOptions.Default, paint);
        return copy;
    }
}
