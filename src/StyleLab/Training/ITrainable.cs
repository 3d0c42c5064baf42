using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Training;

/// <summary>
/// A model with one optimiser, as <see cref="TrainingLoop"/> sees it: parameters to optimise, a state
/// dict to checkpoint, and the loss of one batch. Paper-specific losses live in the implementation,
/// not in the loop. Adversarial models with several optimisers implement <see cref="ITrainable{TBatch}"/>.
/// </summary>
public interface ITrainable
{
    /// <summary>The parameters Adam updates, in a fixed order (the optimiser state is saved in this order).</summary>
    IEnumerable<Parameter> Parameters { get; }

    /// <summary>The tensors that define the model (e.g. <c>module.state_dict()</c>), keyed by official names.</summary>
    Dictionary<string, Tensor> StateDict();

    /// <summary>Copies <paramref name="state"/> (as returned by <see cref="StateDict"/>) into the model.</summary>
    void LoadStateDict(IReadOnlyDictionary<string, Tensor> state);

    /// <summary>
    /// The loss of one batch, built with autograd so the loop can call <c>backward()</c> on
    /// <see cref="LossTerms.Total"/>. The loop disposes every tensor returned.
    /// </summary>
    LossTerms Loss(Tensor batch);
}

/// <summary>
/// A model trained in phases, each with its own Adam over its own parameters, run in order on every
/// batch: e.g. a GAN's discriminator step, then its generator step. A phase may be limited to a range of
/// steps (<see cref="TrainingPhase{TBatch}.FromStep"/>, <see cref="TrainingPhase{TBatch}.UntilStep"/>): a warm-up. <see cref="TrainingLoop{TBatch}"/>
/// checkpoints and resumes all of them together.
/// </summary>
/// <typeparam name="TBatch">What one batch is (a tensor, a content/style pair, a labelled set, …).</typeparam>
public interface ITrainable<TBatch>
{
    /// <summary>The phases of one step, in the order they run; fixed for the model's lifetime.</summary>
    IReadOnlyList<TrainingPhase<TBatch>> Phases { get; }

    /// <summary>The tensors that define the model, keyed by official names.</summary>
    Dictionary<string, Tensor> StateDict();

    /// <summary>Copies <paramref name="state"/> (as returned by <see cref="StateDict"/>) into the model.</summary>
    void LoadStateDict(IReadOnlyDictionary<string, Tensor> state);
}

/// <summary>
/// One optimiser's part of a training step: the loss it minimises and the parameters it updates.
/// A phase may reuse what an earlier phase of the same step computed (the model keeps it).
/// </summary>
/// <param name="Name">Prefixes the phase's loss terms in the history ("D/real", "G/total", …).</param>
/// <param name="Parameters">What this phase's Adam updates, in a fixed order.</param>
/// <param name="Loss">The phase's loss of a batch, built with autograd; the loop disposes what it returns.</param>
/// <param name="LearningRate">Overrides <see cref="TrainingOptions.LearningRate"/> for this phase.</param>
/// <param name="Beta1">Adam's β₁ (GANs often use 0.5).</param>
/// <param name="Beta2">Adam's β₂.</param>
/// <param name="FromStep">The phase runs from this step on (0-based; a warm-up's successor starts where it stops).</param>
/// <param name="UntilStep">The phase stops before this step (null: never); e.g. a warm-up.</param>
public sealed record TrainingPhase<TBatch>(
    string Name,
    IReadOnlyList<Parameter> Parameters,
    Func<TBatch, LossTerms> Loss,
    double? LearningRate = null,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    int FromStep = 0,
    int? UntilStep = null)
{
    /// <summary>Whether the phase runs at the 0-based step <paramref name="step"/>.</summary>
    public bool RunsAt(int step) => step >= FromStep && (UntilStep is not { } until || step < until);
}
