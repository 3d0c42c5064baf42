using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Imaging;

/// <summary>
/// A separable Gaussian filter for images or maps [N,C,H,W] (any channel count), with reflected borders
/// so the blur neither darkens nor brightens the edges. Image Quilting blurs the correspondence map
/// (Efros &amp; Freeman 2001, §3), Image Analogies builds its Gaussian pyramids with it (Hertzmann et al. 2001, §3.1).
/// </summary>
public static class GaussianBlur
{
    /// <summary>The normalised 1-D kernel of standard deviation <paramref name="sigma"/>, radius ⌈3σ⌉ (at least 1).</summary>
    public static Tensor Kernel1D(double sigma, Device? device = null)
    {
        if (sigma <= 0) throw new ArgumentException($"σ must be positive; got {sigma}.", nameof(sigma));
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var weights = Enumerable.Range(-radius, 2 * radius + 1).Select(i => (float)Math.Exp(-i * i / (2 * sigma * sigma))).ToArray();
        float sum = weights.Sum();
        return tensor(weights.Select(w => w / sum).ToArray(), device: device);
    }

    /// <summary><paramref name="image"/> [N,C,H,W] convolved with a Gaussian of standard deviation <paramref name="sigma"/> pixels, same shape.</summary>
    public static Tensor Apply(Tensor image, double sigma)
    {
        if (image.dim() != 4)
            throw new ArgumentException($"Expected a map [N,C,H,W]; got [{string.Join(",", image.shape)}].", nameof(image));
        using var scope = NewDisposeScope();
        var kernel = Kernel1D(sigma, image.device).to(image.dtype);
        int radius = (int)kernel.shape[0] / 2;
        long n = image.shape[0], c = image.shape[1], h = image.shape[2], w = image.shape[3];
        var x = image.reshape(n * c, 1, h, w);
        // Reflection needs the border to be longer than the radius; replicate where the map is tiny.
        var mode = h > radius && w > radius ? PaddingModes.Reflect : PaddingModes.Replicate;
        x = nn.functional.pad(x, [radius, radius, 0, 0], mode);
        x = nn.functional.conv2d(x, kernel.view(1, 1, 1, -1));
        x = nn.functional.pad(x, [0, 0, radius, radius], mode);
        x = nn.functional.conv2d(x, kernel.view(1, 1, -1, 1));
        return x.reshape(n, c, h, w).MoveToOuterDisposeScope();
    }
}
