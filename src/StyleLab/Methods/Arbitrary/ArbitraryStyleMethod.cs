using static TorchSharp.torch;

namespace StyleLab.Methods.Arbitrary;

/// <summary>
/// Magenta's arbitrary stylisation behind <see cref="IStyleTransfer"/>: style interpolation in the
/// bottleneck space (Ghiasi et al. 2017, §4.3) and α as the blend with the content's own bottleneck
/// (<see cref="ArbitraryStyle.BlendWithContentStyle"/>); masks and colour preservation are not defined.
/// </summary>
public sealed class ArbitraryStyleMethod : StyleTransferMethod, IDecoderInputAccess
{
    readonly bool _ownsNetworks;

    /// <param name="networks">The prediction and transformer networks.</param>
    /// <param name="weightFiles">The .tflite files.</param>
    /// <param name="ownsNetworks">Dispose the networks with this object.</param>
    public ArbitraryStyleMethod(ArbitraryStyle networks, IReadOnlyList<string>? weightFiles = null, bool ownsNetworks = true)
        : base("arbitrary", networks.Device, weightFiles ?? [])
    {
        Networks = networks;
        _ownsNetworks = ownsNetworks;
    }

    /// <summary>The networks.</summary>
    public ArbitraryStyle Networks { get; }

    /// <inheritdoc/>
    public override StyleControl Supports => StyleControl.Alpha | StyleControl.Interpolation;

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
        var bottleneck = ArbitraryStyle.Interpolate(styles.Select(Networks.PredictStyle).ToList(),
            StyleWeights.Normalise(controls.StyleWeights, styles.Count));
        // α blends with each content image's own bottleneck; α = 1 skips predicting it.
        if (controls.Alpha < 1) bottleneck = Networks.BlendWithContentStyle(content, bottleneck, controls.Alpha);
        var image = Networks.Stylize(content, bottleneck, decoderInput);
        progress?.Report(new StyleProgress(Method, 1, 1));
        return image;
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        if (_ownsNetworks) Networks.Dispose();
    }
}
