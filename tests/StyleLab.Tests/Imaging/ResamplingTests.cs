using StyleLab.Imaging;
using TorchSharp;
using static StyleLab.Tests.Imaging.TestImages;

namespace StyleLab.Tests.Imaging;

/// <summary>Resize specifications and tensor resampling.</summary>
public class ResamplingTests
{
    [Theory]
    [InlineData(4000, 3000, 512, 512, 384)]    // landscape
    [InlineData(3000, 4000, 512, 384, 512)]    // portrait
    [InlineData(100, 100, 512, 512, 512)]      // upscales too
    [InlineData(1000, 333, 100, 100, 33)]      // 33.3 rounds to 33
    [InlineData(1000, 335, 100, 100, 34)]      // 33.5 rounds to even 34
    [InlineData(5000, 1, 100, 100, 1)]         // never below one pixel
    public void Longest_side_keeps_the_aspect_ratio(int width, int height, int side, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), Resize.LongestSide(side).TargetSize(width, height));

    [Fact]
    public void Exact_and_none()
    {
        Assert.Equal((7, 9), Resize.Exact(7, 9).TargetSize(100, 50));
        Assert.Equal((100, 50), Resize.None.TargetSize(100, 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resize.LongestSide(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resize.Exact(10, -1));
    }

    [Fact]
    public void Load_with_longest_side_and_exact_size()
    {
        using var half = ImageIO.Load(Fixture("grid.bmp"), new ImageLoadOptions { Size = Resize.LongestSide(24) });
        AssertShape(half, 1, 3, 16, 24);
        AssertPixel(half, 4, 4, (1, 0, 0), 0.02);
        using var exact = ImageIO.Load(Fixture("grid.bmp"), new ImageLoadOptions { Size = Resize.Exact(10, 7) });
        AssertShape(exact, 1, 3, 7, 10);
    }

    [Fact]
    public void Resizing_keeps_batch_and_channels_and_accepts_a_single_image()
    {
        using var batch = Random(2, 20, 30);
        using var resized = Resampling.Resize(batch, Resize.LongestSide(15));
        AssertShape(resized, 2, 3, 10, 15);
        using var single = batch[0];
        using var resizedSingle = Resampling.Resize(single, 6, 4);
        AssertShape(resizedSingle, 3, 4, 6);
    }

    [Fact]
    public void Shrinking_is_antialiased()
    {
        // A one-pixel checkerboard shrunk 4× is a flat mid grey; plain point sampling would keep
        // stripes or blocks of black and white.
        using var scope = torch.NewDisposeScope();
        var rows = torch.arange(64).unsqueeze(1);
        var columns = torch.arange(64).unsqueeze(0);
        var board = ((rows + columns) % 2).to(torch.ScalarType.Float32).expand(1, 3, 64, 64);
        var small = Resampling.Resize(board, 16, 16);
        var inner = small[.., .., 2..14, 2..14];
        Assert.True((inner - 0.5f).abs().max().item<float>() < 0.02f, "the shrunk checkerboard is not flat grey");
    }

    [Fact]
    public void Output_stays_in_the_unit_range_despite_bicubic_overshoot()
    {
        using var scope = torch.NewDisposeScope();
        var edge = torch.zeros(1, 3, 8, 8);
        edge[.., .., .., 4..] = torch.ones(1);
        var big = Resampling.Resize(edge, 32, 32);
        Assert.True(big.min().item<float>() >= 0 && big.max().item<float>() <= 1);
    }
}
