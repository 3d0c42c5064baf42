using SkiaSharp;
using StyleLab.Imaging;
using static StyleLab.Tests.Imaging.TestImages;

namespace StyleLab.Tests.Imaging;

/// <summary>Files a user can get wrong fail with an <see cref="ImageFileException"/> that names the file and the problem.</summary>
public class ImageFileErrorTests
{
    [Fact]
    public void Missing_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("nowhere.png");
        var e = Assert.Throws<ImageFileException>(() => ImageIO.Load(path));
        AssertNames(e, path, ImageFileProblem.NotFound, "no such file");
    }

    [Fact]
    public void Empty_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("empty.jpg");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<ImageFileException>(() => ImageIO.Load(path));
        AssertNames(e, path, ImageFileProblem.Empty, "empty");
    }

    [Fact]
    public void Text_file_is_not_an_image()
    {
        using var folder = new TempFolder();
        string path = folder.File("notes.png");
        File.WriteAllText(path, "these are not the pixels you are looking for");
        var e = Assert.Throws<ImageFileException>(() => ImageIO.Load(path));
        AssertNames(e, path, ImageFileProblem.UnsupportedFormat, "not an image");
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg, "photo.jpg")]
    [InlineData(SKEncodedImageFormat.Png, "picture.png")]
    public void Truncated_file_is_an_error_not_a_grey_picture(SKEncodedImageFormat format, string name)
    {
        using var folder = new TempFolder();
        string path = folder.File(name);
        using var bitmap = Noise(64, 64);
        byte[] whole = Encode(bitmap, format, 90);
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        var e = Assert.Throws<ImageFileException>(() => ImageIO.Load(path));
        AssertNames(e, path, ImageFileProblem.Truncated, "truncated");
    }

    [Fact]
    public void Corrupt_png_data()
    {
        using var bitmap = Noise(64, 64);
        byte[] png = Encode(bitmap, SKEncodedImageFormat.Png);
        // Scramble compressed pixel data after the header, keeping the length.
        var random = new Random(7);
        for (int i = png.Length / 3; i < png.Length - 100; i += 5) png[i] = (byte)random.Next(256);
        var e = Assert.Throws<ImageFileException>(() => ImageIO.Load(new MemoryStream(png), "scrambled.png"));
        Assert.Equal("scrambled.png", e.FilePath);
        Assert.Contains("scrambled.png", e.Message);
        Assert.Contains(e.Problem, new[] { ImageFileProblem.Corrupt, ImageFileProblem.Truncated });
    }

    [Fact]
    public void Too_many_pixels_is_refused_from_the_header_with_the_size_the_limit_and_the_way_out()
    {
        string path = Fixture("grid.bmp");   // 48×32 = 1536 pixels
        var e = Assert.Throws<ImageFileException>(() => ImageIO.Load(path, new ImageLoadOptions { MaxPixels = 1000 }));
        AssertNames(e, path, ImageFileProblem.TooManyPixels, "48×32");
        Assert.Contains("1536 pixels, more than the limit of 1000 pixels", e.Message);
        Assert.Contains("MaxPixels = 1536", e.Message);
    }

    [Fact]
    public void Default_limit_refuses_a_huge_image_without_decoding_it()
    {
        // An 8000×6000 PNG of one colour is tiny; decoding it would need over half a gigabyte.
        using var bitmap = new SKBitmap(new SKImageInfo(8000, 6000, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.Gray);
        byte[] png = Encode(bitmap, SKEncodedImageFormat.Png);
        var e = Assert.Throws<ImageFileException>(() => ImageIO.Load(new MemoryStream(png), "huge.png"));
        Assert.Equal(ImageFileProblem.TooManyPixels, e.Problem);
        Assert.Contains("8000×6000 is 48 megapixels", e.Message);
        Assert.Contains("limit of 40 megapixels", e.Message);
    }

    [Fact]
    public void Unknown_extension_on_save()
    {
        using var image = TorchSharp.torch.zeros(1, 3, 4, 4);
        var e = Assert.Throws<ImageFileException>(() => ImageIO.Save(image, "out.tiff"));
        AssertNames(e, "out.tiff", ImageFileProblem.CannotWrite, ".png");
    }

    static void AssertNames(ImageFileException e, string path, ImageFileProblem problem, string words)
    {
        Assert.Equal(path, e.FilePath);
        Assert.Equal(problem, e.Problem);
        Assert.Contains(path, e.Message);
        Assert.Contains(words, e.Message);
    }
}
