namespace StyleLab.Methods.CAST;

/// <summary>
/// CAST's training hyper-parameters, defaulting to the official code's (zyxElsa/CAST_pytorch,
/// <c>models/cast_model.py</c>, <c>options/*.py</c>).
/// </summary>
/// <param name="GanGeneratorA">λ of the generator's GAN term on fake artworks, D_B(fake_B) (<c>lambda_GAN_G_A</c>).</param>
/// <param name="GanGeneratorB">λ of the generator's GAN term on fake photos, D_A(fake_A) (<c>lambda_GAN_G_B</c>).</param>
/// <param name="GanDiscriminatorA">λ of D_A's loss (<c>lambda_GAN_D_A</c>).</param>
/// <param name="GanDiscriminatorB">λ of D_B's loss (<c>lambda_GAN_D_B</c>).</param>
/// <param name="NceGenerator">λ of the style contrastive loss the generator minimises (<c>lambda_NCE_G</c>).</param>
/// <param name="NceProjector">λ of the contrastive loss that trains the MSP and its projection heads (<c>lambda_NCE_D</c>).</param>
/// <param name="Cycle">λ of the L1 cycle loss (<c>lambda_CYC</c>).</param>
/// <param name="NceLayers">Which style-VGG stages the MSP uses (<c>nce_layers</c>; 0 = relu1_1-level … 5 = after pool5). The official default is "0".</param>
/// <param name="Temperature">τ of InfoNCE (<c>temperature</c>).</param>
/// <param name="QueueSize">Negatives kept per layer in the MoCo-style queue (<c>queue_size</c>); a multiple of the batch size.</param>
/// <param name="LearningRateG">Adam lr of the generator (encoder and both decoders).</param>
/// <param name="LearningRateD">Adam lr of the two discriminators.</param>
/// <param name="LearningRateNce">Adam lr of the MSP and its projection heads (<c>lr_D_NCE</c>).</param>
/// <param name="Beta1">Adam β₁ of all three optimisers.</param>
/// <param name="Beta2">Adam β₂ of all three optimisers.</param>
/// <param name="CropScaleMin">Smallest area fraction of the positive-pair crops (kornia RandomResizedCrop scale=(0.8, 1.0)).</param>
/// <param name="RefreshNegatives">
/// Not in the paper (false): the MSP's negatives are the step's queries (first, as the official queue) and the last
/// <paramref name="QueueSize"/> painting query crops, re-encoded by the current MSP at every step (<see cref="StyleCodes.OneByOne"/>), instead of codes stored when
/// they were computed. With stored codes and no momentum encoder, an MSP that maps every painting to one code that
/// moves a little each step already separates the query from its (older) negatives; a short run at a learning rate
/// that moves the MSP at all finds that collapse within tens of steps. Fresh negatives make it cost the full loss.
/// The crops are kept in the checkpoint.
/// </param>
/// <param name="WarmupSteps">
/// Not in the paper (0): the first steps train Dec_A and Dec_B as reconstruction decoders of the encoder (each on
/// its own domain, <see cref="Losses.ReconstructionLoss"/>, encoder frozen) instead of the generator's GAN, style
/// and cycle losses; the discriminators and the MSP train as usual. From random decoders, a few CPU minutes of
/// the paper's losses paint noise; decoders that already draw images learn the style (see <see cref="CastTraining"/>).
/// </param>
public sealed record CastOptions(
    double GanGeneratorA = 0.1,
    double GanGeneratorB = 0.1,
    double GanDiscriminatorA = 1.0,
    double GanDiscriminatorB = 1.0,
    double NceGenerator = 0.05,
    double NceProjector = 1.0,
    double Cycle = 4.0,
    int[]? NceLayers = null,
    double Temperature = 0.07,
    int QueueSize = 1024,
    double LearningRateG = 1e-4,
    double LearningRateD = 1e-4,
    double LearningRateNce = 1e-4,
    double Beta1 = 0.5,
    double Beta2 = 0.999,
    double CropScaleMin = 0.8,
    int WarmupSteps = 0,
    bool RefreshNegatives = false)
{
    /// <summary>The MSP layers in use (the official default: stage 0 only).</summary>
    public IReadOnlyList<int> Layers => NceLayers ?? [0];
}
