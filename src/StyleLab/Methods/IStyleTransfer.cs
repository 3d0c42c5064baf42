using static TorchSharp.torch;

namespace StyleLab.Methods;

/// <summary>
/// One inference interface for every StyleLab method: content + styles + <see cref="StyleControls"/> +
/// progress + cancellation → an image. Build one by name with <see cref="StyleTransferFactory"/>.
/// </summary>
public interface IStyleTransfer : IDisposable
{
    /// <summary>The method's name, as <see cref="StyleTransferFactory.Create"/> takes it (<c>adain</c>, <c>wct</c>, …).</summary>
    string Method { get; }

    /// <summary>The controls this method's paper defines; the others are rejected.</summary>
    StyleControl Supports { get; }

    /// <summary>How many style images a call takes (Johnson's networks: none — the style is in the weights).</summary>
    (int Min, int Max) StyleCount { get; }

    /// <summary>The weight files the method runs on (named by errors, e.g. when an output is not finite).</summary>
    IReadOnlyList<string> WeightFiles { get; }

    /// <summary>
    /// Stylises <paramref name="content"/> [N,3,H,W] in [0,1] with <paramref name="styles"/> ([1,3,h,w] each, any
    /// sizes, any device). Returns [N,3,H,W] (or <see cref="StyleControls.Size"/>) in [0,1], finite, on the
    /// content's device, owned by the caller.
    /// </summary>
    /// <exception cref="NotSupportedException">A control the method's paper does not define.</exception>
    /// <exception cref="ArgumentException">Bad images or controls.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="NonFiniteOutputException">The output held NaN or ±∞.</exception>
    Tensor Stylize(Tensor content, IReadOnlyList<Tensor> styles, StyleControls? controls = null,
        IProgress<StyleProgress>? progress = null, CancellationToken cancellationToken = default);
}
