namespace StyleLab.Methods;

/// <summary>
/// TensorFlow's <c>padding="SAME"</c> arithmetic, which networks converted from TensorFlow (the
/// Engstrom/ml5 fast-style nets, Magenta's MobileNet style predictor) were trained with and which PyTorch's symmetric <c>padding=</c> cannot express: the output has
/// <c>ceil(in / stride)</c> positions, and the padding that needs is split with the odd pixel at the
/// end (bottom/right). For a stride-2 3×3 convolution over an even size that is 0 before and 1 after,
/// so the kernels sit one pixel off from a symmetric padding; getting it wrong shifts the image.
/// </summary>
public static class SamePadding
{
    /// <summary>Padding (before, after) of a convolution along one axis.</summary>
    public static (int Before, int After) Convolution(long inputSize, int kernel, int stride)
    {
        long output = (inputSize + stride - 1) / stride;
        int total = (int)Math.Max((output - 1) * stride + kernel - inputSize, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>
    /// A transposed convolution is the gradient of the convolution that maps its output size
    /// (<c>stride × input</c>) back to its input size; its SAME output is the full transposed result
    /// (<c>(in − 1)·stride + kernel</c> positions) with that convolution's padding cut away: this many
    /// positions are dropped at the start, and the output is <c>stride × input</c> long.
    /// </summary>
    public static int TransposedCrop(long inputSize, int kernel, int stride)
    {
        if (kernel < stride)
            throw new ArgumentException($"A {kernel}-wide kernel with stride {stride} leaves gaps; SAME transposed convolutions here need kernel ≥ stride.");
        return Convolution(inputSize * stride, kernel, stride).Before;
    }
}
