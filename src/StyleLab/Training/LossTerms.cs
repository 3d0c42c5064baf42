using static TorchSharp.torch;

namespace StyleLab.Training;

/// <summary>One step's loss: the total that is minimised, and the named terms it is made of (for history and reports).</summary>
/// <param name="Total">The scalar to minimise.</param>
/// <param name="Terms">Named scalar parts ("content", "style", …), already weighted or not, as the model reports them.</param>
public sealed record LossTerms(Tensor Total, IReadOnlyDictionary<string, Tensor> Terms);
