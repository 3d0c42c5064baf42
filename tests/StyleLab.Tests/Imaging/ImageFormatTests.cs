using SkiaSharp;
using StyleLab.Imaging;
using static StyleLab.Tests.Imaging.TestImages;

namespace StyleLab.Tests.Imaging;

/// <summary>Every supported format and pixel layout becomes opaque sRGB floats in [0,1].</summary>
public class ImageFormatTests
{
    const double JpegTolerance = 0.06;

    [Fact]
    public void Rgba_png_is_composited_over_white()
    {
        using var bitmap = Bitmap(3, 1, (x, _) => x switch
        {
            0 => new SKColor(255, 0, 0, 255),     // opaque red
            1 => new SKColor(0, 255, 0, 0),       // fully transparent green
            _ => new SKColor(0, 0, 255, 128),     // half-transparent blue
        });
        using var image = ImageIO.Load(new MemoryStream(Encode(bitmap, SKEncodedImageFormat.Png)), "rgba.png");

        AssertShape(image, 1, 3, 1, 3);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, image.dtype);
        double a = 128 / 255.0;
        AssertPixel(image, 0, 0, (1, 0, 0), 1e-6);
        AssertPixel(image, 1, 0, (1, 1, 1), 1e-6);
        AssertPixel(image, 2, 0, (1 - a, 1 - a, 1), 1e-6);
    }

    [Fact]
    public void Grey_png_gives_equal_channels_with_exact_levels()
    {
        using var image = ImageIO.Load(Fixture("gray8.png"));
        AssertShape(image, 1, 3, 1, 6);
        for (int x = 0; x < 6; x++)
        {
            float level = 51 * x / 255f;
            Assert.Equal([level, level, level], Pixel(image, x, 0));
        }
    }

    [Fact]
    public void Grey_alpha_png_is_composited_over_white()
    {
        using var image = ImageIO.Load(Fixture("gray-alpha.png"));
        double half = 1 - 128 / 255.0;
        AssertPixel(image, 0, 0, (1, 1, 1), 1e-6);
        AssertPixel(image, 1, 0, (half, half, half), 1e-6);
        AssertPixel(image, 2, 0, (0, 0, 0), 1e-6);
    }

    [Fact]
    public void Palette_png_with_transparent_entries_is_composited_over_white()
    {
        using var image = ImageIO.Load(Fixture("palette.png"));
        double a = 128 / 255.0;
        AssertPixel(image, 0, 0, (1, 0, 0), 1e-6);
        AssertPixel(image, 1, 0, (1, 1, 1), 1e-6);
        AssertPixel(image, 2, 0, (1 - a, 1 - a, 1), 1e-6);
    }

    [Fact]
    public void Sixteen_bit_png_keeps_more_than_eight_bits()
    {
        using var image = ImageIO.Load(Fixture("rgb16.png"));
        AssertShape(image, 1, 3, 1, 8);
        float previousGreen = -1;
        for (int x = 0; x < 8; x++)
        {
            AssertPixel(image, x, 0, ((1000 * x + 7) / 65535.0, (32768 + 64 * x) / 65535.0, (65535 - 4000 * x) / 65535.0), 6e-4);
            // Greens 64/65535 apart would collapse onto one 8-bit level; they must stay distinct.
            float green = Pixel(image, x, 0)[1];
            Assert.True(green > previousGreen, $"green at {x} is {green}, not above {previousGreen}");
            previousGreen = green;
        }
    }

    [Fact]
    public void Sixteen_bit_grey_png_gives_equal_channels_at_8_bit_precision()
    {
        // SkiaSharp's PNG decoder reduces 16-bit grey to 8 bits (RGB keeps more; see above):
        // within half an 8-bit level, plus the half-float rounding.
        using var image = ImageIO.Load(Fixture("gray16.png"));
        for (int x = 0; x < 8; x++)
        {
            double level = 9362 * x / 65535.0;
            AssertPixel(image, x, 0, (level, level, level), 0.5 / 255 + 3e-4);
        }
    }

    [Fact]
    public void Cmyk_jpeg_becomes_the_rgb_of_its_inks()
    {
        using var image = ImageIO.Load(Fixture("cmyk.jpg"));
        AssertShape(image, 1, 3, 16, 64);
        AssertPixel(image, 8, 8, (0, 1, 1), JpegTolerance);     // cyan
        AssertPixel(image, 24, 8, (1, 0, 1), JpegTolerance);    // magenta
        AssertPixel(image, 40, 8, (1, 1, 0), JpegTolerance);    // yellow
        AssertPixel(image, 56, 8, (0, 0, 0), JpegTolerance);    // black
    }

    [Fact]
    public void Bmp_is_read_exactly()
    {
        using var image = ImageIO.Load(Fixture("grid.bmp"));
        AssertGrid(image, 0);
    }

    [Fact]
    public void Animated_gif_gives_its_first_frame()
    {
        using var image = ImageIO.Load(Fixture("animated.gif"));
        AssertShape(image, 1, 3, 8, 8);
        AssertPixel(image, 4, 4, (1, 0, 0), 1e-6);
    }

    [Fact]
    public void Lossless_webp_is_read_exactly()
    {
        using var bitmap = Noise(17, 9);
        using var image = ImageIO.Load(new MemoryStream(EncodeLosslessWebp(bitmap)), "noise.webp");
        for (int y = 0; y < 9; y++)
            for (int x = 0; x < 17; x++)
            {
                var c = bitmap.GetPixel(x, y);
                Assert.Equal([c.Red / 255f, c.Green / 255f, c.Blue / 255f], Pixel(image, x, y));
            }
    }

    [Fact]
    public void Jpeg_is_read_within_compression_error()
    {
        using var bitmap = Bitmap(32, 16, (x, _) => x < 16 ? new SKColor(200, 40, 90) : new SKColor(20, 160, 240));
        using var image = ImageIO.Load(new MemoryStream(Encode(bitmap, SKEncodedImageFormat.Jpeg, 95)), "two.jpg");
        AssertShape(image, 1, 3, 16, 32);
        AssertPixel(image, 4, 8, (200 / 255.0, 40 / 255.0, 90 / 255.0), 0.03);
        AssertPixel(image, 28, 8, (20 / 255.0, 160 / 255.0, 240 / 255.0), 0.03);
    }

    /// <summary>Asserts a loaded image is the upright 48×32 grid, block by block (centres).</summary>
    internal static void AssertGrid(TorchSharp.torch.Tensor image, double tolerance)
    {
        AssertShape(image, 1, 3, 32, 48);
        for (int row = 0; row < 2; row++)
            for (int col = 0; col < 3; col++)
            {
                var (r, g, b) = Grid[row, col];
                AssertPixel(image, 16 * col + 8, 16 * row + 8, (r / 255.0, g / 255.0, b / 255.0), tolerance);
            }
    }
}
