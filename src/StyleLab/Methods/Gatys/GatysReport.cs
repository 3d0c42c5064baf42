using static TorchSharp.torch;

namespace StyleLab.Methods.Gatys;

/// <summary>
/// Progress of <see cref="Gatys.Run"/> after one step.
/// </summary>
/// <param name="Step">1-based step, counted across pyramid levels (1 … <paramref name="TotalSteps"/>).</param>
/// <param name="TotalSteps">Steps of the whole run: <see cref="GatysOptions.Steps"/> × levels.</param>
/// <param name="Level">1-based pyramid level (1 = coarsest).</param>
/// <param name="Levels">Number of pyramid levels.</param>
/// <param name="Losses">
/// The weighted terms of the objective at this step, measured on the image the step started from
/// (the only loss L-BFGS evaluates): "content" (α·L_content), "style" (β·L_style), "tv", and per
/// layer "content:relu4_2", "style:relu1_1", … (each already weighted by its layer weight and α or β).
/// </param>
/// <param name="Total">Their sum, the value being minimised.</param>
/// <param name="Preview">
/// Every <see cref="GatysOptions.PreviewEvery"/> steps, the image after this step: CPU [1,3,H,W] in
/// [0,1] (colours restored when preserving colour), owned by the receiver, who disposes it. Otherwise null.
/// </param>
public sealed record GatysReport(int Step, int TotalSteps, int Level, int Levels,
    IReadOnlyDictionary<string, double> Losses, double Total, Tensor? Preview);
