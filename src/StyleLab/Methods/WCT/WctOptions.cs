using StyleLab.Encoders;

namespace StyleLab.Methods.WCT;

/// <summary>How <see cref="UniversalStyleTransfer"/> stylises; defaults are the official code's.</summary>
/// <param name="Alpha">
/// Style strength α of <c>α f̂_cs + (1 − α) f_c</c> at every level (the official <c>test_wct.lua</c>'s default 0.6).
/// </param>
/// <param name="Levels">
/// The ReLU layers to stylise at, run coarse to fine whatever the order given (default
/// <see cref="PaperLevels"/>: relu5_1 → relu1_1). One layer is the paper's single-level transfer.
/// </param>
/// <param name="PreserveColor">
/// Keep the content's colours: each style image is first recoloured to the content's RGB mean and
/// covariance (Gatys et al. 2017, colour histogram matching), then transferred as usual.
/// </param>
/// <param name="EigenvalueThreshold">Eigenvalues of the covariances below this are dropped (official: 1e-5).</param>
/// <param name="ContentRegularization">
/// Added to the diagonal of the content covariance before whitening: 0 as the paper and the official Torch
/// code; sunshineatnoon/PytorchWCT adds 1, which whitens less strongly.
/// </param>
public sealed record WctOptions(
    double Alpha = 0.6,
    IReadOnlyList<string>? Levels = null,
    bool PreserveColor = false,
    double EigenvalueThreshold = WhiteningColoring.EigenvalueThreshold,
    double ContentRegularization = 0)
{
    /// <summary>The paper's five levels, coarse to fine.</summary>
    public static IReadOnlyList<string> PaperLevels { get; } = ["relu5_1", "relu4_1", "relu3_1", "relu2_1", "relu1_1"];

    /// <summary>The levels to run, deepest first, each checked to be a VGG layer.</summary>
    public IReadOnlyList<string> CoarseToFine =>
        (Levels ?? PaperLevels).Distinct().Select(VggLayers.Get).OrderByDescending(l => l.Index).Select(l => l.Name).ToList();

    /// <summary>
    /// The paper's levels that <paramref name="encoder"/> reaches and for which a decoder exists: with
    /// ../shared's partial VGG-19 (up to conv3_4) that is relu3_1, relu2_1, relu1_1.
    /// </summary>
    public static WctOptions For(Vgg19Encoder encoder, IEnumerable<string> decoderLayers)
    {
        var available = decoderLayers.ToHashSet();
        var levels = PaperLevels.Where(l => VggLayers.Get(l).Index <= encoder.DeepestLayer.Index && available.Contains(l)).ToList();
        if (levels.Count == 0)
            throw new ArgumentException(
                $"No WCT level is usable: {encoder.Source} reaches {encoder.DeepestLayer.Name} and decoders exist for {(available.Count == 0 ? "no layer" : string.Join(", ", available))}.");
        return new WctOptions(Levels: levels);
    }
}
