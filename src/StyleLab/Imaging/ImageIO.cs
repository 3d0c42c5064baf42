using SkiaSharp;
using StyleLab.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Imaging;

/// <summary>
/// Reads image files into StyleLab's image tensors (float32 [1,3,H,W] RGB in [0,1]) and writes
/// them back, with SkiaSharp doing the decoding and encoding.
/// </summary>
/// <remarks>
/// <para>Reading: JPEG (including CMYK), PNG (8- and 16-bit, grey, palette, alpha), WebP, BMP and
/// GIF (the first frame). The picture comes out upright (the EXIF orientation is applied), in
/// sRGB (an embedded colour profile is honoured), and opaque: transparent pixels are composited
/// over white, because that is how a transparent PNG looks in a browser or viewer and what a
/// user expects to see stylised; dropping alpha instead would expose whatever colour happens to
/// sit under transparent pixels (often black). 16-bit colour PNGs are decoded at half-float
/// precision (about 11 significant bits) rather than cut to 8 bits; SkiaSharp's decoder reduces
/// 16-bit grey PNGs to 8 bits.</para>
/// <para>Writing: PNG (lossless, so an 8-bit tensor round-trips exactly), JPEG or WebP, chosen by
/// the file extension.</para>
/// </remarks>
public static class ImageIO
{
    /// <summary>Reads the image file at <paramref name="path"/> as a [1,3,H,W] tensor on <paramref name="device"/> (default CPU).</summary>
    /// <exception cref="ImageFileException">The file is missing, empty, not an image, truncated, corrupt, or too big.</exception>
    public static Tensor Load(string path, ImageLoadOptions? options = null, Device? device = null)
    {
        if (!File.Exists(path))
            throw new ImageFileException(path, ImageFileProblem.NotFound,
                Directory.Exists(path) ? "this is a folder, not an image file." : "no such file.");
        using var stream = RegularFile.OpenRead(path, problem => new ImageFileException(path, ImageFileProblem.NotAFile, problem));
        return Load(stream, path, options, device);
    }

    /// <summary>
    /// Reads an image from <paramref name="stream"/>; <paramref name="displayName"/> (a file name
    /// or URL) is what error messages call it.
    /// </summary>
    /// <exception cref="ImageFileException">The data is empty, not an image, truncated, corrupt, or too big.</exception>
    public static Tensor Load(Stream stream, string displayName, ImageLoadOptions? options = null, Device? device = null)
    {
        options ??= ImageLoadOptions.Default;
        using var data = ReadAll(stream, displayName, options.MaxFileBytes);
        using var codec = SKCodec.Create(data)
            ?? throw new ImageFileException(displayName, ImageFileProblem.UnsupportedFormat,
                "not an image in a format StyleLab reads (JPEG, PNG, WebP, BMP, GIF).");

        var header = codec.Info;
        long pixels = (long)header.Width * header.Height;
        if (pixels > options.MaxPixels)
            throw new ImageFileException(displayName, ImageFileProblem.TooManyPixels,
                $"{header.Width}×{header.Height} is {PixelCount(pixels)}, more than the limit of " +
                $"{PixelCount(options.MaxPixels)}. To load it anyway, raise the limit: " +
                $"new ImageLoadOptions {{ MaxPixels = {pixels} }} (loading needs roughly 30 bytes of memory per pixel), " +
                "or shrink the file first.");

        // The size it will have, too: a tiny file asked to grow to --size 16000 is as big as a huge one.
        var (targetWidth, targetHeight) = options.Size.TargetSize(header.Width, header.Height);
        long target = (long)targetWidth * targetHeight;
        if (target > options.MaxPixels)
            throw new ImageFileException(displayName, ImageFileProblem.TooManyPixels,
                $"resizing {header.Width}×{header.Height} to {options.Size} gives {targetWidth}×{targetHeight}, {PixelCount(target)}, " +
                $"more than the limit of {PixelCount(options.MaxPixels)}. Ask for a smaller size.");
        pixels = Math.Max(pixels, target);
        if (pixels * PeakMemory.DecodeBytesPerPixel > MemoryBudget.Current.Bytes)
            throw new ImageFileException(displayName, ImageFileProblem.TooManyPixels,
                $"{header.Width}×{header.Height} needs about {MemoryBudget.Format(pixels * PeakMemory.DecodeBytesPerPixel)} to decode, " +
                $"more than StyleLab's memory budget of {MemoryBudget.Format(MemoryBudget.Current.Bytes)} ({MemoryBudget.EnvironmentVariable}). Shrink the file first.");

        using var scope = NewDisposeScope();
        using var bitmap = Decode(codec, HasSixteenBitSamples(data.AsSpan(), codec), displayName);
        var stored = SkiaBitmaps.ToTensor(bitmap);
        var upright = ExifOrientation.Upright(stored, codec.EncodedOrigin);
        // Resampled on the CPU before moving, so an image loads to the same values on every device.
        var sized = options.Size is Resize.Unchanged ? upright : Resampling.Resize(upright, options.Size);
        return sized.to(device ?? CPU).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes <paramref name="image"/> ([1,3,H,W] or [3,H,W], any device) to <paramref name="path"/>:
    /// PNG for .png, JPEG for .jpg/.jpeg (at <paramref name="jpegQuality"/>, 1–100), WebP for .webp
    /// (lossy, same quality). Values are clamped to [0,1] and rounded to 8 bits. Creates the
    /// folder if it does not exist.
    /// </summary>
    /// <exception cref="ImageFileException">The extension is not one of those, the image holds NaN or ∞ (nothing is written), or encoding fails.</exception>
    public static void Save(Tensor image, string path, int jpegQuality = 95)
    {
        var format = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => SKEncodedImageFormat.Png,
            ".jpg" or ".jpeg" => SKEncodedImageFormat.Jpeg,
            ".webp" => SKEncodedImageFormat.Webp,
            var other => throw new ImageFileException(path, ImageFileProblem.CannotWrite,
                $"cannot tell the format from the extension '{other}'; use .png, .jpg, .jpeg or .webp."),
        };
        // A NaN pixel encodes as black: a diverged run or corrupt weights would pass for a result.
        using (var finite = image.detach().isfinite())
            if (!finite.all().item<bool>())
                throw new ImageFileException(path, ImageFileProblem.CannotWrite,
                    $"the image holds {finite.numel() - finite.count_nonzero().item<long>()} NaN or infinite value(s) " +
                    "(corrupt weights, or a computation that diverged); nothing was written.");
        var bytes = Encode(image, format, jpegQuality, path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>The PNG file bytes of <paramref name="image"/> ([1,3,H,W] or [3,H,W]); exact for 8-bit values.</summary>
    public static byte[] EncodePng(Tensor image) => Encode(image, SKEncodedImageFormat.Png, 100, "PNG in memory");

    /// <summary>The JPEG file bytes of <paramref name="image"/> ([1,3,H,W] or [3,H,W]) at <paramref name="quality"/> (1–100).</summary>
    public static byte[] EncodeJpeg(Tensor image, int quality = 95) => Encode(image, SKEncodedImageFormat.Jpeg, quality, "JPEG in memory");

    static byte[] Encode(Tensor image, SKEncodedImageFormat format, int quality, string name)
    {
        if (quality is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(quality), quality, "Quality runs from 1 to 100.");
        using var bitmap = SkiaBitmaps.ToBitmap(image);
        using var data = bitmap.Encode(format, quality)
            ?? throw new ImageFileException(name, ImageFileProblem.CannotWrite,
                $"SkiaSharp could not encode a {bitmap.Width}×{bitmap.Height} image as {format}.");
        return data.ToArray();
    }

    static SKData ReadAll(Stream stream, string displayName, long maxBytes)
    {
        var bytes = RegularFile.ReadAll(stream, maxBytes, problem => new ImageFileException(displayName, ImageFileProblem.TooLarge,
            problem + " To read it anyway, raise ImageLoadOptions.MaxFileBytes."));
        if (bytes.Length == 0)
            throw new ImageFileException(displayName, ImageFileProblem.Empty, "the file is empty (0 bytes).");
        return SKData.CreateCopy(bytes);
    }

    /// <summary>
    /// Whether the file is a 16-bit PNG, the one format here with more than 8 bits per sample.
    /// SkiaSharp's codec reports 8-bit colour types for those too, so the header is read directly:
    /// IHDR is always the first chunk, and its bit-depth byte sits at offset 24.
    /// </summary>
    static bool HasSixteenBitSamples(ReadOnlySpan<byte> file, SKCodec codec) =>
        codec.EncodedFormat == SKEncodedImageFormat.Png && file.Length > 24 && file[24] == 16;

    /// <summary>
    /// Decodes to a colour type whose conversion to float is known: 8-bit RGBA, or half-float
    /// RGBA for 16-bit files (about 11 significant bits: finer than 8, and half the memory of
    /// float32). Alpha stays unpremultiplied so that compositing over white keeps full colour
    /// precision.
    /// </summary>
    static SKBitmap Decode(SKCodec codec, bool deep, string displayName)
    {
        var header = codec.Info;
        var info = new SKImageInfo(header.Width, header.Height,
            deep ? SKColorType.RgbaF16 : SKColorType.Rgba8888,
            header.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul,
            SKColorSpace.CreateSrgb());
        var bitmap = new SKBitmap();
        if (!bitmap.TryAllocPixels(info))
        {
            bitmap.Dispose();
            throw new ImageFileException(displayName, ImageFileProblem.TooManyPixels,
                $"not enough memory to decode {header.Width}×{header.Height} pixels.");
        }
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result == SKCodecResult.Success) return bitmap;

        bitmap.Dispose();
        throw result switch
        {
            // A cut-off file decodes partially, the rest filled with grey: an error, not a picture.
            SKCodecResult.IncompleteInput => new ImageFileException(displayName, ImageFileProblem.Truncated,
                $"the {codec.EncodedFormat} data ends early: the file is truncated (an interrupted download or copy?)."),
            SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput => new ImageFileException(displayName,
                ImageFileProblem.Corrupt, $"the {codec.EncodedFormat} data is corrupt and cannot be decoded."),
            _ => new ImageFileException(displayName, ImageFileProblem.Corrupt,
                $"SkiaSharp could not decode this {codec.EncodedFormat} image ({result})."),
        };
    }

    static string PixelCount(long pixels) => pixels >= 100_000
        ? (pixels / 1e6).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " megapixels"
        : pixels + " pixels";
}
