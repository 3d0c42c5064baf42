using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.CAST;

/// <summary>
/// The augmentation that makes CAST's positive pairs (official <c>patch_sampler</c>, kornia
/// <c>RandomResizedCrop(scale=(0.8, 1.0), ratio=(0.75, 1.33))</c>): each image gets its own random crop
/// of 80–100 % of its area with an aspect ratio in [3/4, 4/3] (log-uniform), resized bilinearly back to
/// the input size. Two calls on the same batch give two views of each style.
/// </summary>
public static class PatchSampler
{
    /// <summary>A random resized crop of each image of <paramref name="images"/> [N,3,H,W]; draws from libtorch's global generator (or <paramref name="generator"/>).</summary>
    public static Tensor Sample(Tensor images, double minScale = 0.8, double minRatio = 0.75, double maxRatio = 4.0 / 3.0, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0], height = images.shape[2], width = images.shape[3];
        var crops = new Tensor[n];
        for (long i = 0; i < n; i++)
        {
            var (top, left, h, w) = Window(height, width, minScale, minRatio, maxRatio, generator);
            var crop = images.narrow(0, i, 1).narrow(2, top, h).narrow(3, left, w);
            crops[i] = F.interpolate(crop, [height, width], mode: InterpolationMode.Bilinear, align_corners: true);
        }
        return cat(crops, 0).MoveToOuterDisposeScope();
    }

    static (long Top, long Left, long Height, long Width) Window(long height, long width, double minScale, double minRatio, double maxRatio, Generator? generator)
    {
        double area = height * width;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            using var u = rand(4, ScalarType.Float64, generator: generator);
            var draws = u.data<double>().ToArray();
            double target = area * (minScale + (1 - minScale) * draws[0]);
            double ratio = Math.Exp(Math.Log(minRatio) + (Math.Log(maxRatio) - Math.Log(minRatio)) * draws[1]);
            long w = (long)Math.Round(Math.Sqrt(target * ratio)), h = (long)Math.Round(Math.Sqrt(target / ratio));
            if (w < 1 || h < 1 || w > width || h > height) continue;
            return ((long)(draws[2] * (height - h + 1)), (long)(draws[3] * (width - w + 1)), h, w);
        }
        return (0, 0, height, width);
    }
}
