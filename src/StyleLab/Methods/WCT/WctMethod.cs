using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Methods.WCT;

/// <summary>
/// Universal style transfer behind <see cref="IStyleTransfer"/>: α at every level, style interpolation,
/// spatial control (Li et al. 2017, §4) and colour preservation. One content image per run (a batch is run
/// image by image); progress is reported per level, and cancellation is checked before each.
/// </summary>
public sealed class WctMethod : StyleTransferMethod
{
    readonly bool _ownsPipeline;

    /// <param name="pipeline">Encoder and decoders.</param>
    /// <param name="options">Levels and numerics (default: every level the pipeline can run); α and colour come from the controls.</param>
    /// <param name="weightFiles">The files it was loaded from.</param>
    /// <param name="ownsPipeline">Dispose the pipeline with this object.</param>
    public WctMethod(UniversalStyleTransfer pipeline, WctOptions? options = null, IReadOnlyList<string>? weightFiles = null, bool ownsPipeline = true)
        : base("wct", pipeline.Encoder.parameters().First().device, weightFiles ?? [])
    {
        Pipeline = pipeline;
        Options = options ?? pipeline.DefaultOptions;
        _ownsPipeline = ownsPipeline;
    }

    /// <summary>Encoder and decoders.</summary>
    public UniversalStyleTransfer Pipeline { get; }

    /// <summary>Levels and numerics.</summary>
    public WctOptions Options { get; }

    /// <summary>The same pipeline with other levels or numerics; the original keeps ownership of the pipeline.</summary>
    public WctMethod WithOptions(WctOptions options) => new(Pipeline, options, WeightFiles, ownsPipeline: false);

    /// <inheritdoc/>
    public override StyleControl Supports => StyleControl.Alpha | StyleControl.Interpolation | StyleControl.Masks | StyleControl.PreserveColor;

    /// <inheritdoc/>
    protected override bool OneImageAtATime => true;

    /// <inheritdoc/>
    protected override (long Bytes, long BytesPerContentPixel)? EstimatePeak(long height, long width, IReadOnlyList<(long Height, long Width)> styles) =>
        (PeakMemory.PerPixel(PeakMemory.WctBytesPerPixel, height, width, styles), PeakMemory.WctBytesPerPixel);

    /// <inheritdoc/>
    protected override Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        var options = Options with { Alpha = controls.Alpha, PreserveColor = controls.PreserveColor };
        var regions = controls.Masks is { } masks ? StyleRegions.Labels(masks, content.shape[2], content.shape[3], Device) : null;
        var levels = ProgressRelay<WctProgress>.To(progress, p => new StyleProgress(Method, p.Level, p.Count, p.Layer));
        using var result = Pipeline.Stylize(content, styles, options, controls.StyleWeights, regions, levels, cancellationToken);
        // The last level's decoded image before clamping: StyleOutput checks it is finite.
        return result.Levels[^1].Image.alias();
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        if (_ownsPipeline) Pipeline.Dispose();
    }
}
