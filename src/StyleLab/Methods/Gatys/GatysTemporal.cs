using static TorchSharp.torch;

namespace StyleLab.Methods.Gatys;

/// <summary>
/// The short-term temporal constraint of Ruder, Dosovitskiy &amp; Brox, "Artistic Style Transfer for Videos" (GCPR 2016):
/// the frame starts from <see cref="Previous"/> (ω, the previous stylised frame warped by the flow) and the loss gains
/// <c>γ · (1/D) Σ_k c_k (x_k − ω_k)²</c>, with <see cref="Weights"/> c = 0 where the flow cannot be trusted
/// (disocclusions, motion boundaries). The caller keeps ownership of both tensors.
/// </summary>
/// <param name="Previous">ω, [1,3,H,W] in [0,1] at the content's size.</param>
/// <param name="Weights">c, [1,1,H,W] in [0,1].</param>
/// <param name="Weight">
/// γ relative to the content weight, as in the paper (α = 1, γ = 200, both terms as means over their elements and
/// pixels in Caffe's 0–255 range); <see cref="GatysObjective"/> rescales it to StyleLab's summed content loss.
/// </param>
public sealed record GatysTemporal(Tensor Previous, Tensor Weights, double Weight = GatysTemporal.PaperWeight)
{
    /// <summary>The paper's γ/α = 200 (artistic-videos: content 5, temporal 1e3).</summary>
    public const double PaperWeight = 200;
}
