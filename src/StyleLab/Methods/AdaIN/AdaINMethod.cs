using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Methods.AdaIN;

/// <summary>
/// AdaIN behind <see cref="IStyleTransfer"/>: all four of the paper's controls (§7.3). Masks need exactly
/// two styles, as the paper's spatial control: the first style's mask region, the second style elsewhere.
/// </summary>
public sealed class AdaINMethod : StyleTransferMethod, IDecoderInputAccess
{
    readonly bool _ownsModel;

    /// <param name="model">The encoder–decoder pair.</param>
    /// <param name="weightFiles">The files it was loaded from (named when an output is not finite).</param>
    /// <param name="ownsModel">Dispose the model with this object.</param>
    public AdaINMethod(AdaINModel model, IReadOnlyList<string>? weightFiles = null, bool ownsModel = true)
        : base("adain", model.Encoder.parameters().First().device, weightFiles ?? [])
    {
        Model = model;
        _ownsModel = ownsModel;
    }

    /// <summary>The encoder–decoder pair.</summary>
    public AdaINModel Model { get; }

    /// <inheritdoc/>
    public override StyleControl Supports => StyleControl.Alpha | StyleControl.Interpolation | StyleControl.Masks | StyleControl.PreserveColor;

    /// <inheritdoc/>
    protected override (long Bytes, long BytesPerContentPixel)? EstimatePeak(long height, long width, IReadOnlyList<(long Height, long Width)> styles) =>
        (PeakMemory.PerPixel(PeakMemory.AdaINBytesPerPixel, height, width, styles), PeakMemory.AdaINBytesPerPixel);

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
        Tensor? mask = null;
        if (controls.Masks is { } masks)
        {
            if (styles.Count != 2)
                throw new NotSupportedException($"AdaIN's spatial control takes exactly two styles and their masks; got {styles.Count}.");
            mask = StyleRegions.Region(StyleRegions.Labels(masks, content.shape[2], content.shape[3], Device), 0);
        }
        var options = new AdaINOptions(controls.Alpha, controls.StyleWeights, controls.PreserveColor);
        var image = Model.Render(content, styles, options, mask, decoderInput);
        progress?.Report(new StyleProgress(Method, 1, 1));
        return image;
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        if (_ownsModel) Model.Dispose();
    }
}
