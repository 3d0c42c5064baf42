namespace StyleLab.Methods.FeedForward;

/// <summary>
/// One training step of <see cref="TransformNetTraining"/>. <see cref="Terms"/> holds the weighted loss
/// terms <c>content</c>, <c>style</c>, <c>tv</c> and <c>total</c> (per image), ready for
/// <see cref="Training.LossHistory.Add"/>.
/// </summary>
/// <param name="Step">1-based step number.</param>
/// <param name="Terms">Named, weighted loss terms of this step's batch.</param>
/// <param name="StyleLayers">The style layers actually used (deeper ones the encoder lacks are left out).</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record TransformNetTrainingReport(
    int Step, IReadOnlyDictionary<string, double> Terms, IReadOnlyList<string> StyleLayers, TimeSpan Elapsed);
