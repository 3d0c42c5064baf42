using SkiaSharp;
using static TorchSharp.torch;

namespace StyleLab.Imaging;

/// <summary>
/// Turns pixels stored in a camera's sensor order into the upright picture the EXIF
/// orientation tag describes. Phones store portrait photos sideways with tag 6; ignoring it
/// gives a sideways content image.
/// </summary>
static class ExifOrientation
{
    /// <summary>The upright [N,C,H',W'] image for pixels <paramref name="stored"/> [N,C,H,W] tagged with <paramref name="origin"/>.</summary>
    public static Tensor Upright(Tensor stored, SKEncodedOrigin origin) => origin switch
    {
        SKEncodedOrigin.TopRight => stored.flip(-1),                               // 2: mirrored
        SKEncodedOrigin.BottomRight => stored.flip(-2, -1),                        // 3: upside down
        SKEncodedOrigin.BottomLeft => stored.flip(-2),                             // 4: mirrored vertically
        SKEncodedOrigin.LeftTop => stored.transpose(-2, -1),                       // 5: transposed
        SKEncodedOrigin.RightTop => stored.transpose(-2, -1).flip(-1),             // 6: turn 90° clockwise
        SKEncodedOrigin.RightBottom => stored.transpose(-2, -1).flip(-2, -1),      // 7: transversed
        SKEncodedOrigin.LeftBottom => stored.transpose(-2, -1).flip(-2),           // 8: turn 90° anticlockwise
        _ => stored.alias(),                                                       // 1: already upright
    };
}
