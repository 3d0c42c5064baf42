using StyleLab.Training;

namespace StyleLab.Methods.AdaIN;

/// <summary>
/// How an AdaIN decoder is trained (Huang &amp; Belongie 2017, §6.2; official <c>train.py</c>): loss
/// <c>L_c + λ·L_s</c> with Adam. Defaults are the paper's (λ = 10, Adam 1e-4, batch 8, smaller side 512 →
/// random 256² crops); the official run takes 160 000 steps on MS-COCO and WikiArt.
/// </summary>
/// <param name="Steps">Adam steps of the run (a resumed run continues up to this).</param>
/// <param name="StyleWeight">λ, the weight of the style loss.</param>
/// <param name="ContentWeight">The weight of the content loss (official: 1).</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="BatchSize">Content/style pairs per step.</param>
/// <param name="ResizeTo">Every training image's smaller side is scaled to this.</param>
/// <param name="CropSize">Then a random square of this side is cut out.</param>
/// <param name="Layer">The AdaIN layer; null: <c>relu4_1</c>, or <c>relu3_1</c> when the VGG weights stop earlier.</param>
/// <param name="Seed">Fixes the crops, the pairs and the decoder's initialisation.</param>
/// <param name="CheckpointEvery">Checkpoint every this many steps (0: only at the end and on cancellation).</param>
/// <param name="LogEvery">Report progress every this many steps.</param>
/// <param name="WarmupSteps">
/// Steps (counted in <paramref name="Steps"/>) that first train the decoder to reconstruct the content crops, as a
/// WCT decoder, before the paper's loss takes over; not in the paper (0), it makes runs of a few hundred steps
/// stylise (see <see cref="AdaINTraining"/>).
/// </param>
/// <param name="WarmupLearningRate">
/// Adam's learning rate during the warm-up. Reconstruction tolerates a high one; the paper's loss afterwards runs
/// at <paramref name="LearningRate"/>, and at the paper's 1e-4 it keeps what the warm-up learnt (higher rates let
/// the last few batches' paintings tint every result).
/// </param>
public sealed record AdaINTrainingOptions(
    int Steps = 160_000,
    double StyleWeight = 10.0,
    double ContentWeight = 1.0,
    double LearningRate = 1e-4,
    int BatchSize = 8,
    int ResizeTo = 512,
    int CropSize = 256,
    string? Layer = null,
    int Seed = 0,
    int CheckpointEvery = 1000,
    int LogEvery = 10,
    int WarmupSteps = 0,
    double WarmupLearningRate = 1e-3)
{
    /// <summary>The crops of the training data (<see cref="ImagePairDataset"/>).</summary>
    public ImageFolderOptions Data => new(BatchSize, ResizeTo, CropSize, Seed);

    /// <summary>The loop's options, checkpointing to <paramref name="checkpointPath"/>.</summary>
    public TrainingOptions Loop(string? checkpointPath) =>
        new(Steps, LearningRate, CheckpointEvery, checkpointPath, LogEvery, Seed);
}
