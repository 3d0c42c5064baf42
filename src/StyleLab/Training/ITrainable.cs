using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Training;

/// <summary>
/// A model as <see cref="TrainingLoop"/> sees it: parameters to optimise, a state dict to checkpoint,
/// and the loss of one batch. Paper-specific losses live in the implementation, not in the loop.
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
