using StyleLab.Encoders;
using static TorchSharp.torch;

namespace StyleLab.Methods.Gatys;

/// <summary>
/// Gatys et al.'s optimisation behind <see cref="IStyleTransfer"/>: one style, colour preservation (Gatys et
/// al. 2017; luminance-only unless the options choose histogram matching), progress per step and
/// cancellation before each. The paper's trade-off is the ratio of two unbounded weights (eq. 7,
/// <see cref="GatysOptions.ContentWeight"/>/<see cref="GatysOptions.StyleWeight"/>), not an α in [0,1], and its
/// guided Gram matrices pair regions of one style image rather than one mask per style: both are rejected.
/// </summary>
public sealed class GatysMethod : StyleTransferMethod
{
    readonly bool _ownsEncoder;

    /// <param name="encoder">A frozen VGG-19.</param>
    /// <param name="options">Default: <see cref="GatysOptions.For"/> the encoder. Previews are off (the result is one image).</param>
    /// <param name="weightFiles">The VGG file.</param>
    /// <param name="ownsEncoder">Dispose the encoder with this object.</param>
    public GatysMethod(Vgg19Encoder encoder, GatysOptions? options = null, IReadOnlyList<string>? weightFiles = null, bool ownsEncoder = true)
        : base("gatys", encoder.parameters().First().device, weightFiles ?? [])
    {
        Encoder = encoder;
        Options = (options ?? GatysOptions.For(encoder)) with { PreviewEvery = 0 };
        _ownsEncoder = ownsEncoder;
    }

    /// <summary>The VGG-19.</summary>
    public Vgg19Encoder Encoder { get; }

    /// <summary>Layers, weights, optimiser and steps.</summary>
    public GatysOptions Options { get; }

    /// <inheritdoc/>
    public override StyleControl Supports => StyleControl.PreserveColor;

    /// <inheritdoc/>
    protected override bool OneImageAtATime => true;

    /// <inheritdoc/>
    protected override Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        var color = !controls.PreserveColor ? ColorPreservation.None
            : Options.PreserveColor == ColorPreservation.None ? ColorPreservation.Luminance : Options.PreserveColor;
        var steps = ProgressRelay<GatysReport>.To(progress, r => new StyleProgress(Method, r.Step, r.TotalSteps, $"level {r.Level}/{r.Levels}"));
        using var result = Gatys.Run(Encoder, content, styles[0], Options with { PreserveColor = color }, null, steps, cancellationToken);
        return result.Image.alias();
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        if (_ownsEncoder) Encoder.Dispose();
    }
}
