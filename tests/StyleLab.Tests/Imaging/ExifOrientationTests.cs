using SkiaSharp;
using StyleLab.Imaging;
using static StyleLab.Tests.Imaging.TestImages;

namespace StyleLab.Tests.Imaging;

/// <summary>JPEGs stored sideways or mirrored, with the EXIF tag that says so, load upright.</summary>
public class ExifOrientationTests
{
    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)]
    [InlineData(5)] [InlineData(6)] [InlineData(7)] [InlineData(8)]
    public void Every_orientation_loads_as_the_upright_picture(int orientation)
    {
        using var image = ImageIO.Load(Fixture($"orientation-{orientation}.jpg"));
        ImageFormatTests.AssertGrid(image, 0.08);
    }

    [Fact]
    public void Orientation_6_turns_a_portrait_file_into_a_landscape_picture_with_red_top_left()
    {
        string path = Fixture("orientation-6.jpg");
        using (var codec = SKCodec.Create(path))
        {
            Assert.Equal(SKEncodedOrigin.RightTop, codec.EncodedOrigin);
            Assert.Equal((32, 48), (codec.Info.Width, codec.Info.Height));   // stored W×H
        }
        using var image = ImageIO.Load(path);
        AssertShape(image, 1, 3, 32, 48);                                   // shown H×W swapped
        AssertPixel(image, 2, 2, (1, 0, 0), 0.08);                          // red block top-left
        AssertPixel(image, 45, 29, (0, 0, 0), 0.08);                        // black block bottom-right
    }

    [Fact]
    public void Resizing_applies_to_the_upright_picture()
    {
        using var image = ImageIO.Load(Fixture("orientation-6.jpg"), new ImageLoadOptions { Size = Resize.LongestSide(24) });
        AssertShape(image, 1, 3, 16, 24);
        AssertPixel(image, 4, 4, (1, 0, 0), 0.1);
    }
}
