using StyleLab.Video;
using static TorchSharp.torch;

namespace StyleLab.Tests.Video;

/// <summary>Carrying a frame forward by copying pixels: no blur, and sub-pixel motion does not drift.</summary>
public class PixelCopyWarpTests
{
    [Theory]
    [InlineData(-0.5, 4)]     // half a pixel per frame: rounding alone would stand still or run ahead
    [InlineData(-0.25, 8)]
    [InlineData(-1.75, 4)]
    public void Sub_pixel_motion_adds_up_to_the_exact_shift_with_the_texture_intact(double u, int frames)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(7);
        var texture = rand(1, 3, 12, 40);
        var flow = zeros(1, 2, 12, 40);
        flow[.., 0] = u;                       // every pixel of the new frame comes from u px to its right
        var image = texture;
        var offset = zeros(1, 2, 12, 40);
        for (int t = 0; t < frames; t++)
            (image, offset) = PixelCopyWarp.Warp(image, offset, flow);

        int shift = (int)Math.Round(-u * frames);  // whole pixels by construction of the cases
        var expected = texture[.., .., .., ..(40 - shift)];
        var actual = image[.., .., .., shift..];
        Assert.True((actual == expected).all().item<bool>(), "the content is not where the summed motion puts it");
        Assert.True(offset.abs().max().item<float>() <= 0.5f + 1e-6f, "a pixel's content is more than half a pixel off");
        // Copies keep every value of the texture; bilinear warping the same way averages them.
        var bilinear = texture;
        for (int t = 0; t < frames; t++) bilinear = FlowWarp.Warp(bilinear, flow);
        Assert.True(bilinear[.., .., .., shift..].std().item<float>() < 0.9f * expected.std().item<float>());
    }

    [Fact]
    public void Offsets_must_be_a_flow_field()
    {
        using var image = zeros(1, 3, 4, 4);
        using var flow = zeros(1, 2, 4, 4);
        using var offset = zeros(1, 3, 4, 4);
        Assert.Throws<ArgumentException>(() => PixelCopyWarp.Warp(image, offset, flow));
    }
}
