using StyleLab.Encoders;

namespace StyleLab.Diagnostics;

/// <summary>
/// Analytic floating-point operation counts for VGG-19 work, the yardstick benchmarks divide by.
/// A multiply-add counts as 2 FLOPs. Element-wise work (bias, ReLU, pooling, the loss arithmetic)
/// is left out: it is memory-bound and under 1 % of the total.
/// </summary>
/// <remarks>
/// <para>A 3×3 convolution from <c>Cin</c> to <c>Cout</c> channels on an <c>H×W</c> output costs
/// <c>2·Cin·Cout·9·H·W</c> forward.</para>
/// <para>Backward in style transfer needs the gradient with respect to the <em>input</em> only (the
/// weights are frozen): that is a transposed convolution with the same multiply-adds, so one more
/// <c>2·Cin·Cout·9·H·W</c>. A training step would add as much again for the weight gradient (the
/// usual "×3"); here forward + backward is <b>×2</b>.</para>
/// <para>A Gram matrix of <c>C</c> channels over <c>N = H·W</c> positions is <c>F·Fᵀ</c>: <c>2·C²·N</c>
/// forward. Its backward, <c>dF = (dG + dGᵀ)·F</c> as autograd computes it for <c>mm(F, Fᵀ)</c>, is two
/// matrix products: <c>4·C²·N</c>. The style image's Gram targets are computed once and not counted.</para>
/// </remarks>
public static class VggFlops
{
    /// <summary>Forward FLOPs of VGG-19's convolutions from the image up to <paramref name="deepest"/>, for an H×W image.</summary>
    public static double Forward(int height, int width, string deepest = "relu5_1")
    {
        int last = VggLayers.Get(deepest).Index;
        return VggLayers.Convolutions.Where(c => c.Index <= last)
            .Sum(c => Conv(c, height, width));
    }

    /// <summary>FLOPs of one 3×3 convolution of VGG-19 (zero padding keeps the size within a block).</summary>
    public static double Conv(VggLayer conv, int height, int width)
    {
        double h = height / conv.Stride, w = width / conv.Stride;
        return 2.0 * conv.InChannels * conv.OutChannels * 9 * h * w;
    }

    /// <summary>FLOPs of a Gram matrix at <paramref name="layer"/>: forward only, or forward + backward to the features.</summary>
    public static double Gram(string layer, int height, int width, bool withBackward)
    {
        var l = VggLayers.Get(layer);
        double n = (double)(height / l.Stride) * (width / l.Stride), c = l.OutChannels;
        return (withBackward ? 6 : 2) * c * c * n;
    }

    /// <summary>
    /// One Gatys iteration: forward to the deepest loss layer, backward to the image (×2 for the
    /// convolutions), plus the Gram matrices of the style layers forward and backward.
    /// </summary>
    public static double GatysIteration(int height, int width, IEnumerable<string> styleLayers, string contentLayer)
    {
        var style = styleLayers.ToList();
        string deepest = style.Append(contentLayer).MaxBy(l => VggLayers.Get(l).Index)!;
        return 2 * Forward(height, width, deepest) + style.Sum(l => Gram(l, height, width, withBackward: true));
    }
}
