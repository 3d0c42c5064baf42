using static TorchSharp.torch;

namespace StyleLab.Methods.FeedForward;

/// <summary>
/// Johnson et al.'s feed-forward networks behind <see cref="IStyleTransfer"/>: the style is in the weights
/// (one network per style), so a call takes no style images; the paper defines no run-time controls.
/// </summary>
public sealed class FastStyleMethod : StyleTransferMethod, IDecoderInputAccess
{
    readonly bool _ownsNetwork;

    /// <param name="network">One style's network.</param>
    /// <param name="weightFiles">The checkpoint it was loaded from.</param>
    /// <param name="ownsNetwork">Dispose the network with this object.</param>
    public FastStyleMethod(FastStyle network, IReadOnlyList<string>? weightFiles = null, bool ownsNetwork = true)
        : base("fast", network.Device, weightFiles ?? [])
    {
        Network = network;
        _ownsNetwork = ownsNetwork;
    }

    /// <summary>The style's network.</summary>
    public FastStyle Network { get; }

    /// <inheritdoc/>
    public override StyleControl Supports => StyleControl.None;

    /// <inheritdoc/>
    public override (int Min, int Max) StyleCount => (0, 0);

    /// <inheritdoc/>
    public Tensor Stylize(Tensor content, IReadOnlyList<Tensor> styles, StyleControls? controls, Func<Tensor, Tensor> decoderInput,
        IProgress<StyleProgress>? progress = null, CancellationToken cancellationToken = default) =>
        StylizeEditing(content, styles, controls, decoderInput, progress, cancellationToken);

    /// <inheritdoc/>
    protected override Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken) =>
        Run(content, styles, controls, null, progress, cancellationToken);

    /// <inheritdoc/>
    protected override Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls, Func<Tensor, Tensor>? decoderInput,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        var image = Network.Render(content, decoderInput);
        progress?.Report(new StyleProgress(Method, 1, 1, Network.Name));
        return image;
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        if (_ownsNetwork) Network.Dispose();
    }
}
