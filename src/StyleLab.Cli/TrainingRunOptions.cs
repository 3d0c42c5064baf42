using System.CommandLine;
using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Cli;

/// <summary>The defaults a <c>stylelab train</c> command gives the shared options (its paper's or its short-run values).</summary>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="Batch">Samples per step.</param>
/// <param name="LearningRate">Adam's learning rate; null where the method sets one per phase (CAST, SAAE): no <c>--lr</c> then.</param>
/// <param name="Out">The run folder; null: <c>--out</c> is required.</param>
/// <param name="CheckpointEvery">Steps between checkpoints.</param>
/// <param name="MinBatch">The smallest batch the method can learn from.</param>
public sealed record TrainingDefaults(int Steps, int Batch, double? LearningRate, string? Out, int CheckpointEvery, int MinBatch = 1);

/// <summary>What one training command was asked to do, bound from <see cref="TrainingRunOptions"/>.</summary>
/// <param name="Steps">Total optimiser steps (a resumed run continues up to it).</param>
/// <param name="Batch">Samples per step.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Folder">The run folder (full path, created).</param>
/// <param name="Resume">Continue from the folder's checkpoint.</param>
/// <param name="CheckpointEvery">Steps between checkpoints (0: only at the end and on Ctrl+C).</param>
/// <param name="Seed">Seed of weights, data order and augmentation.</param>
/// <param name="LogEvery">Steps between loss reports (the progress bar and the loss history).</param>
/// <param name="Device">Where to train.</param>
public sealed record TrainingRun(int Steps, int Batch, double LearningRate, string Folder, bool Resume, int CheckpointEvery,
    int Seed, int LogEvery, Device Device)
{
    /// <summary>The loop's options, checkpointing to <paramref name="checkpoint"/>.</summary>
    public TrainingOptions Loop(string checkpoint) => new(Steps, LearningRate, CheckpointEvery, checkpoint, LogEvery, Seed);

    /// <summary>Refuses <c>--resume</c> without a checkpoint to continue (exit 2).</summary>
    /// <exception cref="UsageException">Resuming, and <paramref name="checkpoint"/> does not exist.</exception>
    public void RequireCheckpoint(string checkpoint)
    {
        if (Resume && !File.Exists(checkpoint)) throw new UsageException($"--resume: there is no checkpoint at '{checkpoint}'.");
    }
}

/// <summary>
/// The options every <c>stylelab train</c> command shares, declared once with one name and one check each:
/// <c>--steps</c>, <c>--batch</c>, <c>--lr</c> (where one rate applies), <c>--out</c>, <c>--resume</c>, <c>--checkpoint-every</c>,
/// <c>--seed</c>, <c>--log-every</c>, <c>--device</c>. The defaults are the command's (<see cref="TrainingDefaults"/>);
/// the data folders, crops and VGG stay with the commands, whose papers differ there.
/// </summary>
public sealed class TrainingRunOptions(TrainingDefaults defaults)
{
    public Option<int> Steps { get; } = new("--steps") { Description = "Total optimiser steps (a resumed run continues up to this).", DefaultValueFactory = _ => defaults.Steps };

    public Option<int> Batch { get; } = new("--batch") { Description = "Samples per step.", DefaultValueFactory = _ => defaults.Batch };

    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => defaults.LearningRate ?? 1e-4 };

    public Option<string> Out { get; } = new("--out", "-o")
    {
        Description = "The run folder: checkpoint, exported weights and what the command writes.",
        Required = defaults.Out is null,
        DefaultValueFactory = defaults.Out is null ? null : _ => defaults.Out!,
    };

    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue from the checkpoint in --out, exactly where it stopped." };

    public Option<int> CheckpointEvery { get; } = new("--checkpoint-every")
    {
        Description = "Write the checkpoint every this many steps (0: only at the end; always on Ctrl+C and SIGTERM).", DefaultValueFactory = _ => defaults.CheckpointEvery,
    };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the weights, the data order and the augmentation.", DefaultValueFactory = _ => 0 };

    public Option<int> LogEvery { get; } = new("--log-every") { Description = "Steps between loss reports.", DefaultValueFactory = _ => 1 };

    public Option<string> Device { get; } = GlobalOptions.Device();

    /// <summary>Declares the options on <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Steps, Batch, LearningRate, Out, Resume, CheckpointEvery, Seed, LogEvery, Device })
            if (option != LearningRate || defaults.LearningRate is not null) command.Options.Add(option);
    }

    /// <summary>Reads and checks the options (errors name the option) and creates the run folder.</summary>
    public TrainingRun Bind(ParseResult parse)
    {
        int steps = parse.GetValue(Steps), batch = parse.GetValue(Batch), every = parse.GetValue(CheckpointEvery), log = parse.GetValue(LogEvery);
        // An option the command did not declare reads as its type's default: only a declared --lr is read.
        double lr = defaults.LearningRate is null ? new TrainingOptions(1).LearningRate : parse.GetValue(LearningRate);
        if (steps < 1) throw new UsageException($"--steps must be at least 1, not {steps}.");
        if (batch < defaults.MinBatch) throw new UsageException($"--batch must be at least {defaults.MinBatch}, not {batch}.");
        if (!(lr > 0 && double.IsFinite(lr))) throw new UsageException($"--lr must be a positive number, not {lr}.");
        if (every < 0) throw new UsageException($"--checkpoint-every must be 0 (only at the end) or more, not {every}.");
        if (log < 1) throw new UsageException($"--log-every must be at least 1, not {log}.");
        string folder = Path.GetFullPath(parse.GetValue(Out)!);
        var device = Runtime.TorchRuntime.ParseDevice(parse.GetValue(Device));
        bool resume = parse.GetValue(Resume);
        // A refused --resume leaves nothing behind (no empty run folder).
        if (resume && !Directory.Exists(folder)) throw new UsageException($"--resume: there is no checkpoint: the run folder '{folder}' does not exist.");
        Directory.CreateDirectory(folder);
        return new TrainingRun(steps, batch, lr, folder, resume, every, parse.GetValue(Seed), log, device);
    }
}
