namespace StyleLab.Methods.FeedForward;

/// <summary>
/// How a <see cref="TransformNet"/> is trained with perceptual losses (Johnson et al. 2016, §3):
/// <c>λ_c ℓ_feat + λ_s ℓ_style + λ_TV ℓ_TV</c>, minimised with Adam.
/// </summary>
/// <param name="ContentWeight">λ_c for the feature reconstruction loss <c>‖φ_j(ŷ) − φ_j(y)‖² / (C_j H_j W_j)</c>.</param>
/// <param name="StyleWeight">
/// λ_s for the style reconstruction loss <c>Σ_j ‖G_j(ŷ) − G_j(y_s)‖²_F</c> with Gram matrices
/// normalised by <c>C_j H_j W_j</c>, as the paper defines it (Johnson's 5 with λ_c = 1).
/// </param>
/// <param name="TotalVariationWeight">
/// λ_TV for <c>Σ (∂x ŷ)² + (∂y ŷ)²</c> on the 0…255 pixel scale (Johnson chose 1e-6…1e-4 per style).
/// </param>
/// <param name="LearningRate">Adam's learning rate (the paper: 1e-3).</param>
/// <param name="ContentLayer">φ_j of the feature reconstruction loss (the paper: relu2_2).</param>
/// <param name="StyleLayers">
/// The style layers (the paper: relu1_2, relu2_2, relu3_3, relu4_3); those deeper than the encoder's
/// weights reach are left out, so the partial VGG in ../shared trains with the first three.
/// </param>
public sealed record TransformNetTrainingOptions(
    double ContentWeight = 1.0,
    double StyleWeight = 5.0,
    double TotalVariationWeight = 1e-6,
    double LearningRate = 1e-3,
    string ContentLayer = "relu2_2",
    IReadOnlyList<string>? StyleLayers = null)
{
    /// <summary>Johnson et al.'s style layers.</summary>
    public static IReadOnlyList<string> PaperStyleLayers { get; } = ["relu1_2", "relu2_2", "relu3_3", "relu4_3"];
}
