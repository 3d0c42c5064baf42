using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Imaging;

/// <summary>Resizes image tensors (for loading, and for image pyramids).</summary>
public static class Resampling
{
    /// <summary>
    /// Resizes <paramref name="image"/> ([N,C,H,W] or [C,H,W]) to <paramref name="size"/> with
    /// antialiased bicubic filtering, then clamps to [0,1].
    /// </summary>
    /// <remarks>
    /// Antialiased bicubic is what PIL and torchvision use, so a Python reference pipeline fed the
    /// same file sees the same pixels; antialiasing matters when shrinking a photo several times,
    /// where plain bicubic would alias. Bicubic overshoots at edges, hence the clamp.
    /// The result is on the input's device; returns a new tensor even when the size is unchanged.
    /// </remarks>
    public static Tensor Resize(Tensor image, Resize size)
    {
        var (height, width) = (image.shape[^2], image.shape[^1]);
        var (w, h) = size.TargetSize(checked((int)width), checked((int)height));
        return Resize(image, w, h);
    }

    /// <summary>Resizes <paramref name="image"/> ([N,C,H,W] or [C,H,W]) to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static Tensor Resize(Tensor image, int width, int height)
    {
        if (image.dim() is not (3 or 4))
            throw new ArgumentException($"Expected an image tensor [N,C,H,W] or [C,H,W], got [{string.Join(",", image.shape)}].", nameof(image));
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"Cannot resize to {width}×{height}.");
        if (image.shape[^1] == width && image.shape[^2] == height) return image.clone();

        using var scope = NewDisposeScope();
        bool single = image.dim() == 3;
        var batch = single ? image.unsqueeze(0) : image;
        var resized = nn.functional.interpolate(batch, size: [height, width], mode: InterpolationMode.Bicubic,
            align_corners: false, antialias: true).clamp_(0, 1);
        return (single ? resized.squeeze(0) : resized).MoveToOuterDisposeScope();
    }
}
