namespace StyleLab.Methods.AdaIN;

/// <summary>
/// AdaIN's run-time controls (Huang &amp; Belongie 2017, §7.3), all applied in one call of
/// <see cref="AdaINModel.Stylize(TorchSharp.torch.Tensor, IReadOnlyList{TorchSharp.torch.Tensor}, AdaINOptions?, TorchSharp.torch.Tensor?)"/>.
/// </summary>
/// <param name="Alpha">
/// Content–style trade-off α ∈ [0,1]: the decoder sees <c>t = α·AdaIN(f(c), f(s)) + (1−α)·f(c)</c> (eq. 14);
/// 0 reconstructs the content, 1 is full stylisation.
/// </param>
/// <param name="StyleWeights">
/// Style interpolation (eq. 15): one weight per style image, normalised to sum 1 as the official
/// <c>test.py</c> does; the decoder sees <c>Σ w_k AdaIN(f(c), f(s_k))</c>. Null: equal weights.
/// </param>
/// <param name="PreserveColor">
/// Recolour each style image to the content's RGB mean and covariance before transfer (the official
/// <c>--preserve_color</c>, its <c>coral</c>; StyleLab reuses Gatys et al. 2017's linear colour transfer).
/// </param>
public sealed record AdaINOptions(double Alpha = 1.0, IReadOnlyList<double>? StyleWeights = null, bool PreserveColor = false);
