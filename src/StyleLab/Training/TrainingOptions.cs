namespace StyleLab.Training;

/// <summary>How long and how <see cref="TrainingLoop"/> trains.</summary>
/// <param name="Steps">Total optimiser steps of the run (a resumed run continues up to this).</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="CheckpointEvery">Save a checkpoint every this many steps (0: only at the end and on cancellation).</param>
/// <param name="CheckpointPath">Where checkpoints go; null: none are written.</param>
/// <param name="LogEvery">Report progress every this many steps (the last step is always reported).</param>
/// <param name="Seed">Seeds libtorch's generator when a fresh run starts (dropout, noise); a resumed run restores it instead.</param>
public sealed record TrainingOptions(
    int Steps,
    double LearningRate = 1e-4,
    int CheckpointEvery = 1000,
    string? CheckpointPath = null,
    int LogEvery = 10,
    long Seed = 0);
