using System.Diagnostics;
using System.Runtime.CompilerServices;
using TorchSharp;
using StyleLab.Weights;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Training;

/// <summary>
/// The training loop shared by the learned models: Adam on each phase of an
/// <see cref="ITrainable{TBatch}"/> over batches from an <see cref="IBatchSource{TBatch}"/>, with a loss
/// history, progress reports, cancellation, atomic checkpoints and bit-exact resumption (on CPU).
/// </summary>
/// <remarks>
/// A fresh loop seeds libtorch's global generator with <see cref="TrainingOptions.Seed"/>;
/// <see cref="Resume"/> restores the model, every Adam, the generator, the data position and the
/// history, so the following steps are those an uninterrupted run would have taken.
/// </remarks>
public class TrainingLoop<TBatch> : IDisposable where TBatch : IDisposable
{
    const string Total = "total";

    readonly ITrainable<TBatch> _model;
    readonly IBatchSource<TBatch> _data;
    readonly Adam[] _adams;

    /// <summary>The step held by the file at <see cref="TrainingOptions.CheckpointPath"/>, when this run wrote or resumed it.</summary>
    int? _checkpointStep;

    // Steps run on their own thread so that Run can return as soon as it is cancelled (see Await).
    readonly StepThread _thread = new("StyleLab training step");
    readonly object _commit = new();
    /// <summary>The step in flight has begun to change weights: it is finished, never abandoned.</summary>
    bool _committing;
    /// <summary>False where a forward pass changes state (batch-norm statistics): such a step is always waited for.</summary>
    readonly bool _abandonable;
    /// <summary>A cancelled step still running out on <see cref="_thread"/>, and the generator and data position from before it.</summary>
    (Task Step, Tensor Rng, BatchPosition Data)? _abandoned;
    /// <summary>Abandoned steps by the first parameter of each phase, so that a new loop on the same model waits for them.</summary>
    static readonly ConditionalWeakTable<Parameter, Task> Abandoned = new();

    /// <summary>Prepares a run of <paramref name="model"/> on <paramref name="data"/>.</summary>
    public TrainingLoop(ITrainable<TBatch> model, IBatchSource<TBatch> data, TrainingOptions options)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _data = data ?? throw new ArgumentNullException(nameof(data));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.Steps < 0 || options.CheckpointEvery < 0 || options.LogEvery < 1 || !(options.LearningRate > 0 && double.IsFinite(options.LearningRate)))
            throw new ArgumentOutOfRangeException(nameof(options), options,
                "TrainingOptions needs Steps ≥ 0, CheckpointEvery ≥ 0, LogEvery ≥ 1 and a finite LearningRate > 0.");
        if (model.Phases.Count == 0) throw new ArgumentException("The model has no training phase.", nameof(model));
        _adams = model.Phases
            .Select(p => optim.Adam(p.Parameters, lr: p.LearningRate ?? options.LearningRate, beta1: p.Beta1, beta2: p.Beta2))
            .ToArray();
        using (NewDisposeScope())
            _abandonable = !model.StateDict().Keys.Any(k => k.EndsWith("running_mean", StringComparison.Ordinal) || k.EndsWith("running_var", StringComparison.Ordinal));
        random.manual_seed(options.Seed);
    }

    /// <summary>The options of this run.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Steps completed so far.</summary>
    public int Step { get; private set; }

    /// <summary>
    /// Every step's loss terms (with "total"; with several phases each name is prefixed by its phase,
    /// "D/total"); readable from another thread while training.
    /// </summary>
    public LossHistory History { get; private set; } = new();

    /// <summary>
    /// Continues from the checkpoint at <paramref name="path"/>: model, optimisers, step, libtorch's
    /// generator, data position and loss history are restored.
    /// </summary>
    /// <exception cref="WeightFileException">The file is not a checkpoint of this model and optimiser setting (checked before anything is restored).</exception>
    /// <exception cref="InvalidOperationException">The checkpoint is already at or past <see cref="TrainingOptions.Steps"/>: nothing to do.</exception>
    public void Resume(string path)
    {
        Settle();
        using var checkpoint = Checkpoint.Load(path);
        if (checkpoint.Step >= Options.Steps)
            throw new InvalidOperationException(
                $"Nothing to do: checkpoint '{path}' is at step {checkpoint.Step} and this run is to stop at step {Options.Steps}. " +
                $"To train on, ask for more than {checkpoint.Step} steps.");
        using (NewDisposeScope())
            checkpoint.Validate(path, _model.StateDict(), random.get_rng_state(), OptimizerState().LongLength);
        _model.LoadStateDict(checkpoint.Model);
        using (var stream = new MemoryStream(checkpoint.Optimizer))
        using (var reader = new BinaryReader(stream))
            foreach (var adam in _adams) adam.load_state_dict(reader);
        random.set_rng_state(checkpoint.TorchRng);
        _data.Position = checkpoint.Data;
        History = LossRecord.ToHistory(checkpoint.Losses);
        Step = checkpoint.Step;
        if (IsCheckpointPath(path)) _checkpointStep = Step;
    }

    /// <summary>Writes the current state to <paramref name="path"/> atomically (see <see cref="Checkpoint.Save"/>).</summary>
    public void SaveCheckpoint(string path)
    {
        Settle();
        using var scope = NewDisposeScope();
        Save(path, random.get_rng_state(), _data.Position);
    }

    /// <summary>Writes step <see cref="Step"/> with the given generator state and data position.</summary>
    void Save(string path, Tensor rng, BatchPosition data)
    {
        // The scope frees only what is made here (any copies a model makes); the live parameters a
        // state dict usually returns were made before it and stay untouched.
        using var scope = NewDisposeScope();
        var model = _model.StateDict();
        var state = new Checkpoint(Step, model, OptimizerState(), rng, data, LossRecord.From(History));
        state.Save(path);
        if (IsCheckpointPath(path)) _checkpointStep = Step;
    }

    bool IsCheckpointPath(string path) =>
        Options.CheckpointPath is { } own && Path.GetFullPath(own) == Path.GetFullPath(path);

    /// <summary>Every Adam's state in TorchSharp's binary form, in phase order.</summary>
    byte[] OptimizerState()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            foreach (var adam in _adams) adam.save_state_dict(writer);
        return stream.ToArray();
    }

    /// <summary>
    /// Trains until <see cref="TrainingOptions.Steps"/> steps are done, checkpointing every
    /// <see cref="TrainingOptions.CheckpointEvery"/> steps and at the end.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; a checkpoint of the last whole step was written first.</exception>
    /// <exception cref="InvalidOperationException">
    /// A loss term, a gradient or an updated parameter became NaN or infinite. A non-finite loss or
    /// gradient never reaches Adam (that phase's weights and moments stay as they were); nothing
    /// non-finite is ever written; the message says which step, term or parameter, and what is on disk.
    /// </exception>
    public void Run(IProgress<TrainingReport>? progress = null, CancellationToken cancellation = default)
    {
        Settle(cancellation);
        // An abandoned step of an earlier loop on the same model may still be writing these gradients.
        foreach (var phase in _model.Phases)
            if (phase.Parameters.FirstOrDefault() is { } first && Abandoned.TryGetValue(first, out var running))
                WaitOut(running, cancellation);
        var clock = Stopwatch.StartNew();
        int stepsSinceReport = 0;
        while (Step < Options.Steps)
        {
            Dictionary<string, double> losses;
            using var rngBefore = random.get_rng_state();
            var dataBefore = _data.Position;
            try
            {
                cancellation.ThrowIfCancellationRequested();
                lock (_commit) _committing = false;
                losses = Await(_thread.Run(() => TakeStep(cancellation)), rngBefore, dataBefore, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // A step stops only before it changes a weight: memory holds step Step, whole, and the checkpoint
                // gets the generator and data position from before the step, so a resumed run redoes it exactly.
                if (_abandoned is null)
                {
                    random.set_rng_state(rngBefore);
                    _data.Position = dataBefore;
                }
                if (Options.CheckpointPath is { } path) Save(path, rngBefore, dataBefore);
                throw;
            }
            Step++;
            stepsSinceReport++;
            History.Add(Step, losses);
            if (Options.CheckpointEvery > 0 && Step % Options.CheckpointEvery == 0) CheckpointIfWanted();
            if (Step % Options.LogEvery == 0 || Step == Options.Steps)
            {
                progress?.Report(new TrainingReport(Step, Options.Steps, losses, clock.Elapsed.TotalSeconds / stepsSinceReport));
                clock.Restart();
                stepsSinceReport = 0;
            }
        }
        if (Options.CheckpointEvery == 0 || Step % Options.CheckpointEvery != 0) CheckpointIfWanted();
    }

    /// <summary>
    /// Waits for a step. Cancelled before the step changed a weight, it stops waiting at once: the step runs out on
    /// its thread (a backward pass cannot be interrupted; on 2 cores one takes seconds at 256²), sees the cancellation
    /// at its next check and discards itself. A step that has begun to change weights is waited for, so it is whole;
    /// so is every step of a model whose forward pass changes state.
    /// </summary>
    Dictionary<string, double> Await(Task<Dictionary<string, double>> step, Tensor rngBefore, BatchPosition dataBefore, CancellationToken cancellation)
    {
        try { step.Wait(cancellation); }
        catch (OperationCanceledException) when (!step.IsCompleted)
        {
            bool abandon;
            lock (_commit) abandon = _abandonable && !_committing;
            if (abandon)
            {
                _abandoned = (step, rngBefore.clone(), dataBefore);
                foreach (var phase in _model.Phases)
                    if (phase.Parameters.FirstOrDefault() is { } first) Abandoned.AddOrUpdate(first, step);
                throw;
            }
        }
        catch (AggregateException) { }   // the step's own exception is rethrown, unwrapped, below
        return step.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Waits for an abandoned step to run out, then puts the generator and the data position back where they were
    /// before it, as if it had never started.
    /// </summary>
    void Settle(CancellationToken cancellation = default)
    {
        if (_abandoned is not { } abandoned) return;
        WaitOut(abandoned.Step, cancellation);
        random.set_rng_state(abandoned.Rng);
        abandoned.Rng.Dispose();
        _data.Position = abandoned.Data;
        _abandoned = null;
    }

    /// <summary>Waits until <paramref name="step"/> has ended, however it ended; cancellable.</summary>
    static void WaitOut(Task step, CancellationToken cancellation) => step.ContinueWith(_ => { }, TaskScheduler.Default).Wait(cancellation);

    void CheckpointIfWanted()
    {
        if (Options.CheckpointPath is { } path) SaveCheckpoint(path);
    }

    Dictionary<string, double> TakeStep(CancellationToken cancellation)
    {
        using var scope = NewDisposeScope();
        using var batch = _data.NextBatch();
        var applied = new List<string>();
        // Checked inside the step (a step at 256² takes seconds on a CPU), but only until a phase
        // has updated its weights: after that the step is finished, so a checkpoint is never half a step.
        void StopIfAsked() { if (applied.Count == 0) cancellation.ThrowIfCancellationRequested(); }
        StopIfAsked();
        var values = new Dictionary<string, double>();
        var phases = _model.Phases;
        // Terms carry their phase's name only when several phases share the step (a GAN's D and G), not
        // when one phase hands over to the next (a warm-up).
        int running = phases.Count(p => p.RunsAt(Step));
        if (running == 0) throw new InvalidOperationException($"No training phase runs at step {Step + 1}.");
        for (int i = 0; i < phases.Count; i++)
        {
            if (!phases[i].RunsAt(Step)) continue;
            string prefix = running == 1 ? "" : phases[i].Name + "/";
            _adams[i].zero_grad();
            var loss = phases[i].Loss(batch);
            // Checked before backward/step so a diverged loss never reaches the phase's weights.
            foreach (var (name, term) in loss.Terms.Append(new(Total, loss.Total)))
            {
                double value = term.detach().cpu().to_type(ScalarType.Float64).item<double>();
                if (!double.IsFinite(value))
                    throw Diverged($"loss term '{prefix}{name}' is {value}", applied, phases[i].Name, running);
                values[prefix + name] = value;
            }
            StopIfAsked();
            loss.Total.backward();
            StopIfAsked();
            // A finite loss can still have NaN gradients (a miscomputing convolution, sqrt at 0):
            // they would reach Adam's moments and every weight.
            if (FirstNonFinite(phases[i], p => p.grad) is { } gradient)
                throw Diverged($"the gradient of {gradient} is not finite (the loss was)", applied, phases[i].Name, running);
            // The commit point: past it the step is finished, not abandoned (see Await).
            lock (_commit)
            {
                StopIfAsked();
                _committing = true;
            }
            _adams[i].step();
            if (FirstNonFinite(phases[i], p => p) is { } parameter)
                throw new InvalidOperationException(
                    $"Training diverged at step {Step + 1}: Adam's update made {parameter} non-finite, so the weights in memory " +
                    $"are unusable and will not be saved; {OnDisk()}. Try a lower learning rate.");
            applied.Add(phases[i].Name);
        }
        return values;
    }

    InvalidOperationException Diverged(string what, List<string> applied, string phase, int running) => new(
        $"Training diverged at step {Step + 1}: {what}. " +
        (running == 1 || applied.Count == 0
            ? $"Nothing of step {Step + 1} was applied: the weights in memory are those of step {Step}"
            : $"Phase(s) {string.Join(", ", applied.Select(a => $"'{a}'"))} of step {Step + 1} were applied, '{phase}' was not") +
        $"; {OnDisk()}. Try a lower learning rate, check the data, or run `stylelab info` to check this CPU's numerics.");

    /// <summary>The truth about the checkpoint file, for error messages.</summary>
    string OnDisk() => Options.CheckpointPath switch
    {
        null => "this run writes no checkpoint",
        var path when _checkpointStep is { } step => $"the checkpoint '{path}' holds step {step}, unchanged",
        var path when File.Exists(path) => $"'{path}' is from an earlier run and was not touched",
        var path => $"no checkpoint was written ('{path}' does not exist)",
    };

    /// <summary>"parameter 'decoder.conv.weight' [3,64,3,3]" of the first tensor <paramref name="select"/> gives that holds NaN or ∞.</summary>
    string? FirstNonFinite(TrainingPhase<TBatch> phase, Func<Parameter, Tensor?> select)
    {
        var checkedTensors = phase.Parameters.Select(p => (Parameter: p, Tensor: select(p))).Where(x => x.Tensor is not null).ToList();
        if (checkedTensors.Count == 0) return null;
        using (var finite = stack(checkedTensors.Select(x => x.Tensor!.detach().isfinite().all()).ToArray()))
            if (finite.all().item<bool>()) return null;
        var bad = checkedTensors.First(x => !x.Tensor!.detach().isfinite().all().item<bool>()).Parameter;
        string? name = _model.StateDict().FirstOrDefault(kv => kv.Value.Handle == bad.Handle).Key;
        return $"parameter '{name ?? $"#{phase.Parameters.ToList().IndexOf(bad)} of phase '{phase.Name}'"}' [{string.Join(",", bad.shape)}]";
    }

    /// <summary>Releases the optimisers' state.</summary>
    public void Dispose()
    {
        // An abandoned step never reaches Adam (it stops at the commit point), so nothing waits for it here.
        _thread.Dispose();
        _abandoned?.Rng.Dispose();
        foreach (var adam in _adams) adam.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The loop for the common case: one optimiser (<see cref="ITrainable"/>) over image batches.</summary>
public sealed class TrainingLoop(ITrainable model, IBatchSource data, TrainingOptions options)
    : TrainingLoop<Tensor>(new SinglePhase(model), data, options)
{
    sealed class SinglePhase(ITrainable model) : ITrainable<Tensor>
    {
        public IReadOnlyList<TrainingPhase<Tensor>> Phases { get; } =
            [new("model", (model ?? throw new ArgumentNullException(nameof(model))).Parameters.ToList(), model.Loss)];

        public Dictionary<string, Tensor> StateDict() => model.StateDict();

        public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state) => model.LoadStateDict(state);
    }
}
