using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Methods.SANet;

/// <summary>
/// SANet behind <see cref="IStyleTransfer"/>: α, style interpolation and spatial control, the controls of
/// Park &amp; Lee's §4.4; colour preservation is not among them and is rejected.
/// </summary>
public sealed class SANetMethod : StyleTransferMethod
{
    readonly bool _ownsModel;

    /// <param name="model">The encoder, transform and decoder.</param>
    /// <param name="levels">The level ablation (the paper's model uses both).</param>
    /// <param name="weightFiles">The files it was loaded from.</param>
    /// <param name="ownsModel">Dispose the model with this object.</param>
    public SANetMethod(SANetModel model, SANetLevels levels = SANetLevels.Both, IReadOnlyList<string>? weightFiles = null, bool ownsModel = true)
        : base("sanet", model.Encoder.parameters().First().device, weightFiles ?? [])
    {
        Model = model;
        Levels = levels;
        _ownsModel = ownsModel;
    }

    /// <summary>The network.</summary>
    public SANetModel Model { get; }

    /// <summary>Which SANet levels feed the merge.</summary>
    public SANetLevels Levels { get; }

    /// <summary>The same model with another level ablation; the original keeps ownership of the model.</summary>
    public SANetMethod WithLevels(SANetLevels levels) => new(Model, levels, WeightFiles, ownsModel: false);

    /// <inheritdoc/>
    public override StyleControl Supports => StyleControl.Alpha | StyleControl.Interpolation | StyleControl.Masks;

    /// <inheritdoc/>
    protected override (long Bytes, long BytesPerContentPixel)? EstimatePeak(long height, long width, IReadOnlyList<(long Height, long Width)> styles) =>
        // The attention grows with photo × style positions: per photo pixel, the pixels' cost plus its row of attention.
        (PeakMemory.SANet(height, width, styles),
         PeakMemory.SANetBytesPerPixel + (long)(PeakMemory.SANetBytesPerPixelPair * styles.Select(s => s.Height * s.Width).DefaultIfEmpty(0).Max()));

    /// <inheritdoc/>
    protected override Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        var options = new SANetOptions(controls.Alpha, Levels);
        Tensor image;
        if (controls.Masks is { } masks)
        {
            var labels = StyleRegions.Labels(masks, content.shape[2], content.shape[3], Device);
            image = Model.Render(content, styles, Enumerable.Range(0, styles.Count).Select(k => StyleRegions.Region(labels, k)).ToList(), options);
        }
        else image = Model.Render(content, styles, controls.StyleWeights ?? Enumerable.Repeat(1.0, styles.Count).ToList(), options);
        progress?.Report(new StyleProgress(Method, 1, 1));
        return image;
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        if (_ownsModel) Model.Dispose();
    }
}
