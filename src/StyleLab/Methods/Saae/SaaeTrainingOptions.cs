namespace StyleLab.Methods.Saae;

/// <summary>
/// The three-step schedule of <see cref="SaaeTraining"/>: one Adam per step. Each phase has its own
/// optimiser, and Adam divides a constant loss weight out of its update, so the balance between
/// reconstruction and adversarial learning is set by the learning rates, not by loss weights.
/// </summary>
/// <param name="ReconstructionLearningRate">Step 1, the autoencoder: Enc_c, Enc_s and Dec on the L1 reconstruction of the target.</param>
/// <param name="DiscriminatorLearningRate">Step 2, D: real targets to their class, generated images to "fake" (β₁ = 0.5, as usual for GANs).</param>
/// <param name="AdversarialLearningRate">Step 3, the generator against D, towards the intended class (β₁ = 0.5); smaller, so reconstruction leads.</param>
/// <param name="WarmupSteps">Steps before step 3 starts: D first learns the real classes, so its first gradients carry the character's shape rather than noise.
/// Step 3's Adam counts the warm-up steps, so its bias correction enlarges its first updates after them (docs/saae.md).</param>
public sealed record SaaeTrainingOptions(
    double ReconstructionLearningRate = 1e-3,
    double DiscriminatorLearningRate = 2e-4,
    double AdversarialLearningRate = 1e-4,
    int WarmupSteps = 200);
