using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// What a <see cref="LiveView{TReport}"/> shows of one progress report: the step, the loss terms
/// and, now and then, a preview image. Any long operation's report maps onto it.
/// </summary>
/// <param name="Step">The step just finished, increasing over the whole run.</param>
/// <param name="TotalSteps">How many steps the run will take (0 if unknown).</param>
/// <param name="Losses">The loss terms at this step, by name.</param>
/// <param name="Preview">An image [1,3,H,W] in [0,1], or null. The live view takes ownership and disposes it.</param>
/// <param name="Status">A short extra note, e.g. "level 2/3".</param>
public sealed record LiveFrame(int Step, int TotalSteps, IReadOnlyDictionary<string, double> Losses,
    Tensor? Preview = null, string? Status = null);
