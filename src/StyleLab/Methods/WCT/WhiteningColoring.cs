using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.WCT;

/// <summary>
/// The whitening and colouring transforms of Li et al. (2017, §3.1), on feature maps flattened to
/// <c>f ∈ ℝ^{C×P}</c> (P = H·W positions):
/// whitening <c>f̂_c = E_c D_c^{-½} E_cᵀ (f_c − m_c)</c> makes the content's channel covariance the
/// identity; colouring <c>f̂_cs = E_s D_s^{½} E_sᵀ f̂_c + m_s</c> gives it the style's covariance and mean.
/// </summary>
/// <remarks>
/// As the official code: covariances are unbiased (÷ (P − 1)), computed and decomposed in float64, and
/// eigenvalues below <see cref="EigenvalueThreshold"/> are dropped (their directions carry no variance and
/// D^{-½} would blow up). The official code takes an SVD of the covariance; for a symmetric positive
/// semi-definite matrix its singular values are the eigenvalues, so a symmetric eigendecomposition
/// (<c>eigh</c>, cheaper) of the C×C matrix gives the same transform. Whitening and colouring compose into
/// one C×C matrix applied once to the features.
/// </remarks>
public static class WhiteningColoring
{
    /// <summary>The official code's cut-off: eigenvalues (singular values) below it are dropped.</summary>
    public const double EigenvalueThreshold = 1e-5;

    /// <summary>
    /// The channel mean m [C,1] and unbiased covariance [C,C] of features [C,P], in float64.
    /// <paramref name="regularization"/>·I is added to the covariance (sunshineatnoon/PytorchWCT adds I to
    /// the content's; the paper and the official Torch code add nothing).
    /// </summary>
    public static (Tensor Mean, Tensor Covariance) Moments(Tensor features, double regularization = 0)
    {
        RequireFlat(features, nameof(features));
        if (features.shape[1] < 2)
            throw new ArgumentException($"A covariance needs at least 2 positions; the features have {features.shape[1]}.", nameof(features));
        using var scope = NewDisposeScope();
        var f = features.to(ScalarType.Float64);
        var mean = f.mean([1], keepdim: true);
        var centred = f - mean;
        var covariance = centred.matmul(centred.mT) / (f.shape[1] - 1);
        if (regularization != 0) covariance = covariance + regularization * eye(f.shape[0], dtype: ScalarType.Float64, device: f.device);
        return (mean.MoveToOuterDisposeScope(), covariance.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <c>E D^p Eᵀ</c> for each symmetric positive semi-definite matrix of <paramref name="covariances"/>
    /// [..,C,C] (float64), over the eigenpairs whose eigenvalue is at least <paramref name="threshold"/>
    /// (the others contribute nothing). All matrices are decomposed in one batched call.
    /// </summary>
    public static Tensor Power(Tensor covariances, double power, double threshold = EigenvalueThreshold)
    {
        using var scope = NewDisposeScope();
        var (values, vectors) = linalg.eigh(covariances);
        var kept = values >= threshold;
        // Dropped eigenvalues are replaced by 1 before the power so a negative power stays finite, then zeroed.
        var scaled = where(kept, values, ones_like(values)).pow(power) * kept.to(values.dtype);
        return (vectors * scaled.unsqueeze(-2)).matmul(vectors.mT).MoveToOuterDisposeScope();
    }

    /// <summary>The number of eigenvalues of a covariance [C,C] kept by the threshold (the official <c>k_c</c>).</summary>
    public static long Rank(Tensor covariance, double threshold = EigenvalueThreshold)
    {
        using var scope = NewDisposeScope();
        return (linalg.eigvalsh(covariance.to(ScalarType.Float64)) >= threshold).sum().item<long>();
    }

    /// <summary>
    /// Whitened features <c>f̂_c = E_c D_c^{-½} E_cᵀ (f_c − m_c)</c> of features [1,C,H,W] (float64 result,
    /// same shape): zero mean, identity covariance on the kept eigen-subspace.
    /// </summary>
    public static Tensor Whiten(Tensor features, double threshold = EigenvalueThreshold, double regularization = 0)
    {
        using var scope = NewDisposeScope();
        var flat = Flatten(features, nameof(features));
        var (mean, covariance) = Moments(flat, regularization);
        var whitening = Power(covariance, -0.5, threshold);
        var whitened = whitening.matmul(flat.to(ScalarType.Float64) - mean);
        return whitened.view(features.shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Coloured features <c>E_s D_s^{½} E_sᵀ f̂ + m_s</c>: whitened features [1,C,H,W] given the channel
    /// covariance and mean of <paramref name="style"/> [1,C,H',W'] (float64 result, the whitened shape).
    /// </summary>
    public static Tensor Color(Tensor whitened, Tensor style, double threshold = EigenvalueThreshold)
    {
        using var scope = NewDisposeScope();
        var flat = Flatten(whitened, nameof(whitened));
        var styleFlat = Flatten(style, nameof(style));
        RequireSameChannels(whitened, style);
        var (mean, covariance) = Moments(styleFlat);
        var coloring = Power(covariance, 0.5, threshold);
        return (coloring.matmul(flat.to(ScalarType.Float64)) + mean).view(whitened.shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The WCT of content features [1,C,H,W] with the style features [1,C,H',W'], blended with the content
    /// by α (<c>α f̂_cs + (1 − α) f_c</c>, §3.1); returned in the content's dtype.
    /// </summary>
    public static Tensor Transform(Tensor content, Tensor style, double alpha = 1, double threshold = EigenvalueThreshold,
        double contentRegularization = 0) =>
        Transform(content, [style], [1.0], alpha, threshold, contentRegularization);

    /// <summary>
    /// Style interpolation (§4): content features [1,C,H,W] whitened once, coloured with each style of
    /// <paramref name="styles"/>, the coloured features mixed by <paramref name="weights"/> (non-negative,
    /// normalised to sum to 1), then blended with the content by α. Returned in the content's dtype.
    /// </summary>
    public static Tensor Transform(Tensor content, IReadOnlyList<Tensor> styles, IReadOnlyList<double> weights, double alpha = 1,
        double threshold = EigenvalueThreshold, double contentRegularization = 0)
    {
        using var scope = NewDisposeScope();
        var flat = Flatten(content, nameof(content));
        var normalised = StyleWeights.Normalise(weights, styles.Count);
        foreach (var style in styles) { Flatten(style, nameof(styles)); RequireSameChannels(content, style); }
        var used = Enumerable.Range(0, styles.Count).Where(i => normalised[i] > 0).ToList();
        var coloured = Colorize(flat, used.Select(i => styles[i].flatten(2).squeeze(0)).ToList(),
            used.Select(i => normalised[i]).ToList(), threshold, contentRegularization);
        return Blend(coloured.view(content.shape), content, alpha).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Spatial control (§4): every content position takes the style of its region. <paramref name="regions"/>
    /// [H,W] (int64, on the features' grid) holds for each position the index of its style, or −1 to keep
    /// the content; each region is whitened with its own statistics and coloured with its style's.
    /// </summary>
    public static Tensor TransformRegions(Tensor content, IReadOnlyList<Tensor> styles, Tensor regions, double alpha = 1,
        double threshold = EigenvalueThreshold, double contentRegularization = 0)
    {
        using var scope = NewDisposeScope();
        var flat = Flatten(content, nameof(content));
        foreach (var style in styles) { Flatten(style, nameof(styles)); RequireSameChannels(content, style); }
        if (regions.dim() != 2 || regions.shape[0] != content.shape[2] || regions.shape[1] != content.shape[3])
            throw new ArgumentException(
                $"The region map must be [H,W] = [{content.shape[2]},{content.shape[3]}] like the features; got [{string.Join(",", regions.shape)}].", nameof(regions));
        var labels = regions.flatten().to(ScalarType.Int64, content.device);
        var output = flat.to(ScalarType.Float64).clone();
        for (int k = 0; k < styles.Count; k++)
        {
            var positions = nonzero(labels == k).squeeze(1);
            if (positions.shape[0] < 2) continue; // no statistics in a region of fewer than two positions
            var part = flat.index_select(1, positions);
            var coloured = Colorize(part, [styles[k].flatten(2).squeeze(0)], [1.0], threshold, contentRegularization);
            output.index_copy_(1, positions, coloured);
        }
        return Blend(output.view(content.shape), content, alpha).MoveToOuterDisposeScope();
    }

    /// <summary>Σ_k w_k · colour_k(whiten(f_c)) as float64 [C,P]; all covariances decomposed in one batched call.</summary>
    static Tensor Colorize(Tensor content, IReadOnlyList<Tensor> styles, IReadOnlyList<double> weights, double threshold, double contentRegularization)
    {
        using var scope = NewDisposeScope();
        var (contentMean, contentCovariance) = Moments(content, contentRegularization);
        var styleMoments = styles.Select(s => Moments(s)).ToList();
        // Whitening needs D^{-½} of the content, colouring D^{½} of each style: raise each to its own power.
        var whitening = Power(contentCovariance, -0.5, threshold);
        var colorings = Power(stack(styleMoments.Select(m => m.Covariance).ToArray()), 0.5, threshold);
        // Σ_k w_k (C_k W (f − m_c) + m_k) = (Σ_k w_k C_k) W (f − m_c) + Σ_k w_k m_k: one C×C matrix for all.
        var w = tensor(weights.ToArray(), ScalarType.Float64, content.device).view(-1, 1, 1);
        var coloring = (colorings * w).sum([0L]);
        var mean = (stack(styleMoments.Select(m => m.Mean).ToArray()) * w).sum([0L]);
        var transform = coloring.matmul(whitening);
        return (transform.matmul(content.to(ScalarType.Float64) - contentMean) + mean).MoveToOuterDisposeScope();
    }

    static Tensor Blend(Tensor coloured, Tensor content, double alpha)
    {
        if (alpha is < 0 or > 1 || double.IsNaN(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α blends style (1) with content (0): it must lie in [0,1].");
        // α = 0 and α = 1 exactly return one side, with no rounding from the other.
        if (alpha == 0) return content.clone();
        var blended = alpha == 1 ? coloured : alpha * coloured + (1 - alpha) * content.to(ScalarType.Float64);
        return blended.to(content.dtype);
    }

    static Tensor Flatten(Tensor features, string name)
    {
        if (features.dim() != 4 || features.shape[0] != 1)
            throw new ArgumentException($"'{name}' must be the features of one image [1,C,H,W]; got [{string.Join(",", features.shape)}].", name);
        return features.flatten(2).squeeze(0);
    }

    static void RequireFlat(Tensor features, string name)
    {
        if (features.dim() != 2)
            throw new ArgumentException($"'{name}' must be flattened features [C,P]; got [{string.Join(",", features.shape)}].", name);
    }

    static void RequireSameChannels(Tensor content, Tensor style)
    {
        if (content.shape[1] != style.shape[1])
            throw new ArgumentException($"Content features have {content.shape[1]} channels but style features have {style.shape[1]}.");
    }
}
