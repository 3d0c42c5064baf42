using static TorchSharp.torch;

namespace StyleLab.Methods;

/// <summary>
/// A feed-forward method whose decoder input can be edited between its encoder and its decoder. Chen et al.
/// (Coherent Online Video Style Transfer, ICCV 2017) make a video consistent there: the previous frame's decoder
/// input, warped by the optical flow, is blended into the current one, and the decoder renders the texture afresh.
/// </summary>
public interface IDecoderInputAccess : IStyleTransfer
{
    /// <summary>
    /// As <see cref="IStyleTransfer.Stylize"/>, with <paramref name="decoderInput"/> applied to the decoder's input
    /// features [N,C,h,w] (at a stride of the image: 4 for Johnson's and Magenta's networks, 8 for AdaIN at relu4_1);
    /// what it returns, of the same shape, is decoded. It runs without gradients and in the method's dispose scope.
    /// </summary>
    Tensor Stylize(Tensor content, IReadOnlyList<Tensor> styles, StyleControls? controls, Func<Tensor, Tensor> decoderInput,
        IProgress<StyleProgress>? progress = null, CancellationToken cancellationToken = default);
}
