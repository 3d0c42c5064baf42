using System.Numerics;
using System.Runtime.InteropServices;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Imaging;

/// <summary>Converts between SkiaSharp bitmaps and StyleLab's image tensors.</summary>
public static class SkiaBitmaps
{
    /// <summary>
    /// The bitmap as a float32 [1,3,H,W] RGB tensor in [0,1]. Transparent pixels are composited
    /// over white (see <see cref="ImageIO"/> for why). Reads Rgba8888 and RgbaF16 bitmaps directly;
    /// other colour types are converted to Rgba8888 first.
    /// </summary>
    public static Tensor ToTensor(SKBitmap bitmap, Device? device = null)
    {
        int width = bitmap.Width, height = bitmap.Height;
        if (bitmap.ColorType is not (SKColorType.Rgba8888 or SKColorType.RgbaF16))
        {
            using var converted = bitmap.Copy(SKColorType.Rgba8888)
                ?? throw new NotSupportedException($"Cannot convert a {bitmap.ColorType} bitmap to RGBA.");
            return ToTensor(converted, device);
        }
        // The planes are written straight into the tensor's native memory: a managed float[] (and the copy
        // torch.tensor makes of it) cost 24 bytes per pixel on the managed heap, and a long session or fuzzer
        // ran out of it (OutOfMemoryException in a 1 GB heap on a 6.7 MP JPEG).
        var image = torch.empty([1, 3, height, width], ScalarType.Float32);
        var planes = MemoryMarshal.Cast<byte, float>(image.bytes);
        if (bitmap.ColorType == SKColorType.Rgba8888)
            WritePlanes<byte>(bitmap, planes, bitmap.GetPixelSpan(), 255f);
        else
            WritePlanes(bitmap, planes, MemoryMarshal.Cast<byte, Half>(bitmap.GetPixelSpan()), 1f);
        if (device is null || device.type == DeviceType.CPU) return image;
        using (image) return image.to(device);
    }

    /// <summary>
    /// Copies RGBA samples into three planes (R, G, B), compositing over white: what a
    /// transparent pixel shows on a white page. Rows may be padded, so each starts at RowBytes.
    /// </summary>
    static void WritePlanes<T>(SKBitmap bitmap, Span<float> planes, ReadOnlySpan<T> samples, float fullScale)
        where T : INumberBase<T>
    {
        int width = bitmap.Width, height = bitmap.Height, plane = width * height;
        int rowSamples = bitmap.RowBytes / (bitmap.BytesPerPixel / 4);
        bool premultiplied = bitmap.AlphaType == SKAlphaType.Premul, opaque = bitmap.AlphaType == SKAlphaType.Opaque;
        for (int y = 0; y < height; y++)
        {
            var row = samples.Slice(y * rowSamples, 4 * width);
            for (int x = 0, i = y * width; x < width; x++, i++)
            {
                float r = ToUnit(row[4 * x], fullScale), g = ToUnit(row[4 * x + 1], fullScale), b = ToUnit(row[4 * x + 2], fullScale);
                float a = opaque ? 1f : ToUnit(row[4 * x + 3], fullScale);
                if (a < 1f)
                {
                    // Over white: c·a + (1 − a); premultiplied samples already hold c·a.
                    float scale = premultiplied ? 1f : a;
                    r = r * scale + (1 - a); g = g * scale + (1 - a); b = b * scale + (1 - a);
                }
                planes[i] = r;
                planes[plane + i] = g;
                planes[2 * plane + i] = b;
            }
        }
    }

    // Division, not multiplication by 1/255: k / 255f is exactly the float that k/255 becomes in a tensor.
    static float ToUnit<T>(T sample, float fullScale) where T : INumberBase<T> => float.CreateTruncating(sample) / fullScale;

    /// <summary>
    /// An opaque Rgba8888 bitmap of <paramref name="image"/> ([1,3,H,W] or [3,H,W], any device):
    /// values are clamped to [0,1] and rounded to the nearest of 256 levels, so k/255 maps to k.
    /// </summary>
    public static SKBitmap ToBitmap(Tensor image)
    {
        var chw = ImageTensors.SingleImage(image, nameof(image));
        int height = (int)chw.shape[1], width = (int)chw.shape[2];
        using var scope = NewDisposeScope();
        var levels = chw.detach().to(CPU).to(ScalarType.Float32).nan_to_num(0)
            .clamp(0, 1).mul(255).round().to(ScalarType.Byte);
        var opaque = torch.full([1, height, width], 255, ScalarType.Byte);
        var rgba = torch.cat([levels, opaque], 0).permute(1, 2, 0).contiguous();   // [H,W,4]

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var source = rgba.bytes;
        var target = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
            source.Slice(y * 4 * width, 4 * width).CopyTo(target.Slice(y * bitmap.RowBytes, 4 * width));
        return bitmap;
    }
}
