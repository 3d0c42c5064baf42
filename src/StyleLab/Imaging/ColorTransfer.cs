using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Imaging;

/// <summary>
/// Colour preservation for style transfer (Gatys, Bethge, Hertzmann &amp; Shechtman 2017,
/// "Preserving color in neural artistic style transfer"): either keep the content's colours by
/// transferring luminance only, or recolour the style image to the content's colours before
/// stylising. All functions take RGB images [N,3,H,W] on any device (float64 support needed for
/// the covariance methods) and return RGB in [0,1] on the same device.
/// </summary>
public static class ColorTransfer
{
    // NTSC YIQ; Y is the Rec. 601 luma the paper uses for "luminance".
    static readonly double[,] RgbToYiqMatrix =
    {
        { 0.299, 0.587, 0.114 },
        { 0.595716, -0.274453, -0.321263 },
        { 0.211456, -0.522591, 0.311135 },
    };

    // The exact inverse, not the rounded textbook one, so RGB → YIQ → RGB is lossless.
    static readonly double[,] YiqToRgbMatrix = Inverse(RgbToYiqMatrix);

    /// <summary>RGB [N,3,H,W] → YIQ [N,3,H,W]: channel 0 is luminance Y, 1 and 2 the chrominance I and Q.</summary>
    public static Tensor RgbToYiq(Tensor rgb) => MixChannels(rgb, RgbToYiqMatrix, nameof(rgb));

    /// <summary>YIQ [N,3,H,W] → RGB [N,3,H,W] (not clamped: chrominance can leave the RGB cube).</summary>
    public static Tensor YiqToRgb(Tensor yiq) => MixChannels(yiq, YiqToRgbMatrix, nameof(yiq));

    /// <summary>
    /// The paper's luminance-only transfer: the luminance (Y) of <paramref name="stylised"/> with
    /// the chrominance (I, Q) of <paramref name="content"/>, clamped to [0,1]. Content of another
    /// size is resized to the stylised image's; a single content image serves a whole batch.
    /// </summary>
    public static Tensor LuminanceOnly(Tensor stylised, Tensor content)
    {
        RequirePair(stylised, content, nameof(stylised), nameof(content));
        using var scope = NewDisposeScope();
        var (height, width) = ((int)stylised.shape[2], (int)stylised.shape[3]);
        var sizedContent = content.shape[2] == height && content.shape[3] == width
            ? content : Resampling.Resize(content, width, height);
        var luminance = RgbToYiq(stylised).narrow(1, 0, 1);
        var chrominance = RgbToYiq(sizedContent).narrow(1, 1, 2).expand(stylised.shape[0], 2, height, width);
        return YiqToRgb(cat([luminance, chrominance], 1)).clamp_(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The paper's luminance matching before luminance-only transfer: <paramref name="style"/>
    /// with its luminance shifted and scaled so its mean and standard deviation equal those of
    /// <paramref name="content"/>'s luminance (per image); chrominance unchanged; clamped to [0,1].
    /// </summary>
    public static Tensor MatchLuminance(Tensor style, Tensor content)
    {
        RequirePair(style, content, nameof(style), nameof(content));
        using var scope = NewDisposeScope();
        var styleYiq = RgbToYiq(style.to(ScalarType.Float64));
        var styleY = styleYiq.narrow(1, 0, 1);
        var contentY = RgbToYiq(content.to(ScalarType.Float64)).narrow(1, 0, 1);
        long[] perImage = [1, 2, 3];
        var (styleMean, styleStd) = (styleY.mean(perImage, keepdim: true), styleY.std(perImage, unbiased: false, keepdim: true));
        var (contentMean, contentStd) = (contentY.mean(perImage, keepdim: true), contentY.std(perImage, unbiased: false, keepdim: true));
        var matchedY = (styleY - styleMean) * (contentStd / styleStd.clamp_min(1e-12)) + contentMean;
        var matched = YiqToRgb(cat([matchedY, styleYiq.narrow(1, 1, 2)], 1));
        return matched.clamp_(0, 1).to(style.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The paper's colour histogram matching: <paramref name="source"/> transformed linearly,
    /// x ↦ A(x − μₛ) + μₜ, so that its RGB mean and covariance equal <paramref name="target"/>'s.
    /// A = Σₜ^½ Σₛ^-½ with symmetric matrix square roots (the "Image Analogies" variant the paper
    /// prefers over Cholesky), computed in float64 by eigendecomposition. Clamped to [0,1], which
    /// disturbs the match only where the transformed colours leave the RGB cube. A single target
    /// serves a whole batch; otherwise image i is matched to target i.
    /// </summary>
    public static Tensor MatchColorStatistics(Tensor source, Tensor target)
    {
        RequirePair(source, target, nameof(source), nameof(target));
        using var scope = NewDisposeScope();
        var sourcePixels = source.to(ScalarType.Float64).flatten(2);   // [N,3,P]
        var (sourceMean, sourceCovariance) = Moments(sourcePixels);
        var (targetMean, targetCovariance) = Moments(target.to(ScalarType.Float64).flatten(2));
        var transform = SymmetricPower(targetCovariance, 0.5).matmul(SymmetricPower(sourceCovariance, -0.5));
        var recoloured = transform.matmul(sourcePixels - sourceMean) + targetMean;
        return recoloured.view_as(source).clamp_(0, 1).to(source.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Exact per-channel histogram matching: each channel of <paramref name="source"/> gets the
    /// values of the same channel of <paramref name="target"/>, assigned in rank order, so the
    /// sorted values of the result are the target's quantiles (exactly the target's sorted
    /// values when both have as many pixels). Ties are ranked by position, which makes the
    /// matched histogram exact. Unlike <see cref="MatchColorStatistics"/> it ignores how channels
    /// correlate. A single target serves a whole batch.
    /// </summary>
    public static Tensor MatchHistogram(Tensor source, Tensor target)
    {
        RequirePair(source, target, nameof(source), nameof(target));
        using var scope = NewDisposeScope();
        var sourcePixels = source.flatten(2);                              // [N,3,P]
        var shape = sourcePixels.shape;
        long sourceCount = shape[2], targetCount = target.shape[2] * target.shape[3];
        var targetSorted = target.to(source.dtype).flatten(2).sort(-1).Values.expand(shape[0], 3, targetCount);

        // Rank k of the source takes the target's quantile k / (Ps − 1), interpolated linearly.
        var position = linspace(0, targetCount - 1, sourceCount, ScalarType.Float64, source.device);
        var below = position.floor().to(ScalarType.Int64);
        var above = (below + 1).clamp_max(targetCount - 1);
        var weight = (position - below).to(source.dtype);
        var quantiles = targetSorted.gather(-1, below.expand(shape)) * (1 - weight)
                      + targetSorted.gather(-1, above.expand(shape)) * weight;

        var ranks = sourcePixels.sort(-1, descending: false, stable: true).Indices;
        var matched = zeros_like(sourcePixels).scatter_(-1, ranks, quantiles);
        return matched.view_as(source).MoveToOuterDisposeScope();
    }

    /// <summary>Mean [N,3,1] and population covariance [N,3,3] of pixels [N,3,P].</summary>
    static (Tensor Mean, Tensor Covariance) Moments(Tensor pixels)
    {
        var mean = pixels.mean([2], keepdim: true);
        var centred = pixels - mean;
        return (mean, centred.matmul(centred.mT) / pixels.shape[2]);
    }

    /// <summary>M^p for symmetric positive semi-definite M; tiny eigenvalues are floored so p &lt; 0 stays finite.</summary>
    static Tensor SymmetricPower(Tensor matrix, double power)
    {
        var (values, vectors) = linalg.eigh(matrix);
        return (vectors * values.clamp_min(1e-10).pow(power).unsqueeze(-2)).matmul(vectors.mT);
    }

    static Tensor MixChannels(Tensor images, double[,] matrix, string name)
    {
        ImageTensors.RequireBatch(images, name);
        using var scope = NewDisposeScope();
        var flat = new double[9];
        Buffer.BlockCopy(matrix, 0, flat, 0, 9 * sizeof(double));
        var mix = tensor(flat, [3, 3]).to(images.dtype, images.device);
        return einsum("ij,njhw->nihw", mix, images).MoveToOuterDisposeScope();
    }

    static void RequirePair(Tensor images, Tensor reference, string imagesName, string referenceName)
    {
        ImageTensors.RequireBatch(images, imagesName);
        ImageTensors.RequireBatch(reference, referenceName);
        if (reference.shape[0] != 1 && reference.shape[0] != images.shape[0])
            throw new ArgumentException(
                $"'{referenceName}' has {reference.shape[0]} images but '{imagesName}' has {images.shape[0]}; " +
                "pass one reference image or one per image.", referenceName);
        if (images.device_type != reference.device_type || images.device_index != reference.device_index)
            throw new ArgumentException(
                $"'{imagesName}' is on {images.device} but '{referenceName}' is on {reference.device}.", referenceName);
    }

    static double[,] Inverse(double[,] m)
    {
        double Cofactor(int row, int col)
        {
            int r0 = (row + 1) % 3, r1 = (row + 2) % 3, c0 = (col + 1) % 3, c1 = (col + 2) % 3;
            return m[r0, c0] * m[r1, c1] - m[r0, c1] * m[r1, c0];
        }
        double determinant = m[0, 0] * Cofactor(0, 0) + m[0, 1] * Cofactor(0, 1) + m[0, 2] * Cofactor(0, 2);
        var inverse = new double[3, 3];
        for (int row = 0; row < 3; row++)
            for (int col = 0; col < 3; col++)
                inverse[row, col] = Cofactor(col, row) / determinant;   // adjugate: transposed cofactors
        return inverse;
    }
}
