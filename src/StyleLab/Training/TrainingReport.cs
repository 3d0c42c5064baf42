namespace StyleLab.Training;

/// <summary>Progress of a training run.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="Steps">Steps the run is going to.</param>
/// <param name="Losses">This step's loss terms, with "total".</param>
/// <param name="SecondsPerStep">Mean wall-clock time per step since the previous report.</param>
public sealed record TrainingReport(int Step, int Steps, IReadOnlyDictionary<string, double> Losses, double SecondsPerStep);
