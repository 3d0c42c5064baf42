using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Imaging;

/// <summary>Fixture paths, images drawn with SkiaSharp, and pixel reads for the imaging tests.</summary>
static class TestImages
{
    /// <summary>A file written by tools/fixtures/make_image_fixtures.py.</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "images", name);

    /// <summary>The upright picture behind the orientation fixtures: 16-pixel blocks, 3 wide and 2 tall.</summary>
    public static readonly (byte R, byte G, byte B)[,] Grid =
    {
        { (255, 0, 0), (0, 255, 0), (0, 0, 255) },
        { (255, 255, 0), (255, 0, 255), (0, 0, 0) },
    };

    /// <summary>The RGB value at column <paramref name="x"/>, row <paramref name="y"/> of a [1,3,H,W] image.</summary>
    public static float[] Pixel(Tensor image, int x, int y)
    {
        using var pixel = image[0, .., y, x].cpu();
        return pixel.data<float>().ToArray();
    }

    public static void AssertPixel(Tensor image, int x, int y, (double R, double G, double B) expected, double tolerance)
    {
        var actual = Pixel(image, x, y);
        double[] want = [expected.R, expected.G, expected.B];
        for (int c = 0; c < 3; c++)
            Assert.True(Math.Abs(actual[c] - want[c]) <= tolerance,
                $"pixel ({x},{y}) is ({string.Join(", ", actual)}), expected ({string.Join(", ", want)}) ± {tolerance}");
    }

    public static void AssertShape(Tensor image, params long[] shape) =>
        Assert.Equal(shape, image.shape);

    /// <summary>An unpremultiplied RGBA bitmap from a function of the pixel position.</summary>
    public static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> colour)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, colour(x, y));
        return bitmap;
    }

    /// <summary>A colourful, detailed picture: compresses badly, so truncating its file loses real data.</summary>
    public static SKBitmap Noise(int width, int height, int seed = 1)
    {
        var random = new Random(seed);
        return Bitmap(width, height, (_, _) => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 100)
    {
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] EncodeLosslessWebp(SKBitmap bitmap)
    {
        using var pixmap = bitmap.PeekPixels();
        using var data = pixmap.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, 100))
            ?? throw new InvalidOperationException("SkiaSharp could not encode lossless WebP.");
        return data.ToArray();
    }

    /// <summary>A uniformly random [N,3,H,W] image in [low, high].</summary>
    public static Tensor Random(long n, long height, long width, double low = 0, double high = 1, long seed = 1)
    {
        var generator = new Generator((ulong)seed);
        return rand([n, 3, height, width], generator: generator) * (high - low) + low;
    }
}

/// <summary>A temporary folder deleted when the test ends.</summary>
sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("stylelab-imaging-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
