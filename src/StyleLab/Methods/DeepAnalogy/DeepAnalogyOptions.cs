using StyleLab.Encoders;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// Settings of <see cref="DeepImageAnalogy.Run"/>; the defaults are the paper's (Liao et al. 2017, §4 and
/// §5) where it gives them and the official implementation's (msracver/Deep-Image-Analogy) where it
/// does not.
/// </summary>
public sealed record DeepAnalogyOptions
{
    /// <summary>
    /// The paper's five levels, deepest first: relu5_1 … relu1_1 with α = (—, 0.8, 0.7, 0.6, 0.1),
    /// patches 3, 3, 3, 5, 5 and random-search radii (whole map, 6, 6, 4, 4). α belongs to the layer:
    /// a schedule that starts lower keeps the same α for the levels it has.
    /// </summary>
    public static IReadOnlyList<DeepAnalogyLevel> PaperLevels { get; } =
    [
        new("relu5_1", 1.0f, 3, null),
        new("relu4_1", 0.8f, 3, 6),
        new("relu3_1", 0.7f, 3, 6),
        new("relu2_1", 0.6f, 5, 4),
        new("relu1_1", 0.1f, 5, 4),
    ];

    /// <summary>The levels, deepest first. The first one starts from the identity field and searches its whole map.</summary>
    public IReadOnlyList<DeepAnalogyLevel> Levels { get; init; } = PaperLevels;

    /// <summary>PatchMatch iterations per level and direction (official: 10).</summary>
    public int PatchMatchIterations { get; init; } = 10;

    /// <summary>Propagation jumps per iteration (official: 8, 4, 2, 1).</summary>
    public IReadOnlyList<int> PropagationJumps { get; init; } = PatchMatchSettings.DefaultJumps;

    /// <summary>
    /// L-BFGS iterations per deconvolution. The paper does not give a number; starting from F^{L−1}
    /// voted through the up-sampled field (as the official code does) the error falls fast, and each
    /// iteration costs a forward and backward pass through two VGG blocks, so this is kept small.
    /// </summary>
    public int DeconvolutionIterations { get; init; } = 20;

    /// <summary>κ of the blend weights (§4.3): 300.</summary>
    public float Kappa { get; init; } = BlendWeights.DefaultKappa;

    /// <summary>τ of the blend weights (§4.3): 0.05.</summary>
    public float Tau { get; init; } = BlendWeights.DefaultTau;

    /// <summary>Patch side of the final pixel-level vote that forms A′ and B (official: 3).</summary>
    public int ImagePatchSize { get; init; } = 3;

    /// <summary>Seed of PatchMatch's random search: the same seed and inputs give the same result.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// The paper's defaults on the levels <paramref name="encoder"/> can compute: all five with full
    /// VGG-19, relu3_1, relu2_1 and relu1_1 with ../shared's partial VGG (which stops at conv3_4).
    /// The deepest level present then starts the pyramid: it takes A′ = A, B = B′ and searches its whole
    /// map, and the others keep their paper α (relu2_1 0.6, relu1_1 0.1).
    /// </summary>
    public static DeepAnalogyOptions For(Vgg19Encoder encoder)
    {
        var supported = encoder.SupportedLayers.Select(l => l.Name).ToHashSet();
        var levels = PaperLevels.Where(l => supported.Contains(l.Layer)).ToList();
        if (levels.Count == 0)
            throw new ArgumentException($"{encoder.Source} reaches no Deep Image Analogy level (relu1_1 … relu5_1).", nameof(encoder));
        levels[0] = levels[0] with { SearchRadius = null };
        return new DeepAnalogyOptions { Levels = levels };
    }
}
