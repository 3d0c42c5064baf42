using StyleLab.Encoders;
using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// Deep Image Analogy's A′ behind <see cref="IStyleTransfer"/>: the content is A, the one style image B′,
/// the result A′ (A's structure in B′'s appearance). The paper's controls are its per-level blend weights
/// (<see cref="DeepAnalogyOptions"/>), not the shared ones, which are rejected. Progress per stage;
/// cancellation is checked between stages. For the fields and B, use <see cref="DeepImageAnalogy.Run"/>.
/// </summary>
public sealed class DeepAnalogyMethod : StyleTransferMethod
{
    readonly bool _ownsEncoder;

    /// <param name="encoder">A frozen VGG-19 that reaches the options' levels.</param>
    /// <param name="options">Default: <see cref="DeepAnalogyOptions.For"/> the encoder.</param>
    /// <param name="weightFiles">The VGG file.</param>
    /// <param name="ownsEncoder">Dispose the encoder with this object.</param>
    public DeepAnalogyMethod(Vgg19Encoder encoder, DeepAnalogyOptions? options = null, IReadOnlyList<string>? weightFiles = null, bool ownsEncoder = true)
        : base("analogy", encoder.parameters().First().device, weightFiles ?? [])
    {
        Encoder = encoder;
        Options = options ?? DeepAnalogyOptions.For(encoder);
        _ownsEncoder = ownsEncoder;
    }

    /// <summary>The VGG-19.</summary>
    public Vgg19Encoder Encoder { get; }

    /// <summary>Levels, PatchMatch and blending settings.</summary>
    public DeepAnalogyOptions Options { get; }

    /// <inheritdoc/>
    public override StyleControl Supports => StyleControl.None;

    /// <inheritdoc/>
    protected override bool OneImageAtATime => true;

    /// <inheritdoc/>
    protected override Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        // Steps: the levels, then the final voting; a stage is reported as it starts, so its step is the one before.
        var relay = ProgressRelay<DeepAnalogyProgress>.To(progress, p => new StyleProgress(Method,
            p.Stage == DeepAnalogyStage.Done ? p.LevelCount + 1 : p.Stage == DeepAnalogyStage.Voting ? p.LevelCount : Math.Max(p.Level, 0),
            p.LevelCount + 1, p.Layer is null ? p.Stage.ToString() : $"{p.Stage} {p.Layer}"));
        using var result = DeepImageAnalogy.Run(Encoder, content, styles[0], Options, relay, cancellationToken);
        return result.APrime.alias();
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        if (_ownsEncoder) Encoder.Dispose();
    }
}
