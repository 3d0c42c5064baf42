using static TorchSharp.torch;

namespace StyleLab.Methods.Gatys;

/// <summary>
/// Spatial control (Gatys et al. CVPR 2017, §3, guided Gram matrices): region k of the output — where
/// <c>Content[k]</c> is 1 — takes the style of region k of the style image — where <c>Style[k]</c> is 1.
/// Masks are [1,1,H,W] in [0,1] at their image's resolution (soft edges allowed); the caller keeps
/// ownership.
/// </summary>
/// <param name="Content">One mask per region, the content image's size.</param>
/// <param name="Style">One mask per region, the style image's size.</param>
public sealed record GatysMasks(IReadOnlyList<Tensor> Content, IReadOnlyList<Tensor> Style);
