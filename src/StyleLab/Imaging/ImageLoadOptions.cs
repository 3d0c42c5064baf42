namespace StyleLab.Imaging;

/// <summary>How <see cref="ImageIO.Load(string, ImageLoadOptions?, TorchSharp.torch.Device?)"/> reads an image.</summary>
public sealed record ImageLoadOptions
{
    /// <summary>The defaults: original size, at most 40 megapixels.</summary>
    public static ImageLoadOptions Default { get; } = new();

    /// <summary>
    /// The largest image, in pixels (width × height), that will be decoded. It is checked from the
    /// file's header before any pixel is decoded, so a huge or malicious file fails with a clear
    /// message instead of exhausting memory (a decoded pixel costs 12 bytes as float32 RGB).
    /// </summary>
    public long MaxPixels { get; init; } = 40_000_000;

    /// <summary>
    /// The most bytes read from an image file or stream (default 1 GiB, far above any 40-megapixel file);
    /// a longer one is refused when the cap is passed, so an endless stream cannot exhaust memory.
    /// </summary>
    public long MaxFileBytes { get; init; } = 1L << 30;

    /// <summary>The size to resample the (upright) image to; <see cref="Resize.None"/> keeps it.</summary>
    public Resize Size { get; init; } = Resize.None;
}
