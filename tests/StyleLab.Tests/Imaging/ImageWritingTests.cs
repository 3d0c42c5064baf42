using CsCheck;
using SkiaSharp;
using StyleLab.Imaging;
using TorchSharp;
using static StyleLab.Tests.Imaging.TestImages;
using static TorchSharp.torch;

namespace StyleLab.Tests.Imaging;

/// <summary>Saving and encoding: 8-bit values survive PNG exactly; shapes, clamping and formats.</summary>
public class ImageWritingTests
{
    /// <summary>Random W×H images of 8-bit levels k/255.</summary>
    static readonly Gen<(int Width, int Height, byte[] Levels)> EightBitImages =
        from width in Gen.Int[1, 40]
        from height in Gen.Int[1, 40]
        from levels in Gen.Byte.Array[3 * width * height]
        select (width, height, levels);

    static Tensor FromLevels(int width, int height, byte[] levels) =>
        torch.tensor(levels, [1, 3, height, width]).to(ScalarType.Float32).div_(255);

    [Fact]
    public void Png_round_trip_is_exact_for_8_bit_images()
    {
        EightBitImages.Sample((width, height, levels) =>
        {
            using var scope = NewDisposeScope();
            var image = FromLevels(width, height, levels);
            var loaded = ImageIO.Load(new MemoryStream(ImageIO.EncodePng(image)), "round-trip.png");
            Assert.Equal(image.shape, loaded.shape);
            Assert.True(image.equal(loaded).all().item<bool>(), "the loaded PNG differs from the saved tensor");
        }, iter: 60);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void Save_refuses_an_image_holding_NaN_or_infinity_and_writes_nothing(float bad)
    {
        using var folder = new TempFolder();
        string path = folder.File("out.png");
        using var image = torch.rand(1, 3, 8, 8);
        image[0, 1, 2, 3] = torch.tensor(bad);
        var e = Assert.Throws<ImageFileException>(() => ImageIO.Save(image, path));
        Assert.Contains(path, e.Message);
        Assert.Contains("1 NaN or infinite value(s)", e.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Save_and_load_png_file_is_exact_and_accepts_a_3d_tensor()
    {
        using var folder = new TempFolder();
        string path = folder.File("nested/out.png");   // the folder is created
        using var image = FromLevels(5, 3, Enumerable.Range(0, 45).Select(i => (byte)(i * 5)).ToArray());
        using var chw = image[0];
        ImageIO.Save(chw, path);
        using var loaded = ImageIO.Load(path);
        Assert.True(image.equal(loaded).all().item<bool>());
    }

    [Fact]
    public void Save_clamps_and_rounds_to_8_bits()
    {
        using var image = torch.tensor(new float[] { -0.5f, 2f, float.NaN, 0.5f / 255 + 1e-4f, 0.25f, 1f }, [1, 3, 1, 2]);
        using var loaded = ImageIO.Load(new MemoryStream(ImageIO.EncodePng(image)), "clamped.png");
        Assert.Equal(0f, Pixel(loaded, 0, 0)[0]);          // -0.5 → 0
        Assert.Equal(1f, Pixel(loaded, 1, 0)[0]);          // 2 → 1
        Assert.Equal(0f, Pixel(loaded, 0, 0)[1]);          // NaN → 0
        Assert.Equal(1 / 255f, Pixel(loaded, 1, 0)[1]);    // just above half a level rounds up
        Assert.Equal(64 / 255f, Pixel(loaded, 0, 0)[2]);   // 0.25·255 = 63.75 → 64
        Assert.Equal(1f, Pixel(loaded, 1, 0)[2]);
    }

    [Theory]
    [InlineData("out.jpg")]
    [InlineData("out.jpeg")]
    [InlineData("out.webp")]
    public void Lossy_formats_by_extension(string name)
    {
        using var folder = new TempFolder();
        string path = folder.File(name);
        using var image = torch.full([1, 3, 16, 24], 0.5f);
        ImageIO.Save(image, path, jpegQuality: 90);
        using (var codec = SKCodec.Create(path))
            Assert.Equal(name.EndsWith(".webp") ? SKEncodedImageFormat.Webp : SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
        using var loaded = ImageIO.Load(path);
        AssertShape(loaded, 1, 3, 16, 24);
        Assert.True((loaded - 0.5f).abs().max().item<float>() < 0.02f);
    }

    [Fact]
    public void A_batch_of_several_images_is_refused_with_its_shape()
    {
        using var batch = torch.zeros(2, 3, 4, 4);
        var e = Assert.Throws<ArgumentException>(() => ImageIO.EncodePng(batch));
        Assert.Contains("batch of 2", e.Message);
        using var grey = torch.zeros(1, 1, 4, 4);
        e = Assert.Throws<ArgumentException>(() => ImageIO.EncodePng(grey));
        Assert.Contains("[1,1,4,4]", e.Message);
    }

    [Fact]
    public void Load_puts_the_image_on_the_requested_device()
    {
        var device = torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        using var image = ImageIO.Load(Fixture("grid.bmp"), device: device);
        Assert.Equal(device.type, image.device_type);
        using var png = torch.tensor(ImageIO.EncodePng(image));   // encodes from any device
        Assert.True(png.shape[0] > 0);
    }
}
