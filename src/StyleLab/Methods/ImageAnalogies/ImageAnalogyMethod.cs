using static TorchSharp.torch;

namespace StyleLab.Methods.ImageAnalogies;

/// <summary>
/// Image Analogies behind <see cref="IStyleTransfer"/>: the content is B, the two style images are the pair
/// (A, A′) that shows the filter, the result B′. No weights; the paper's controls are its neighbourhoods, κ
/// and levels (<see cref="ImageAnalogyOptions"/>), not the shared ones, which are rejected. For the source map
/// and the coherence choices, use <see cref="ImageAnalogy.Run"/>.
/// </summary>
/// <param name="options">Default: the paper's (<see cref="ImageAnalogyOptions"/>).</param>
/// <param name="device">Where the synthesis runs (default CPU).</param>
public sealed class ImageAnalogyMethod(ImageAnalogyOptions? options = null, Device? device = null)
    : StyleTransferMethod("image-analogy", device ?? CPU, [])
{
    /// <summary>Levels, neighbourhoods, κ, passes and seed.</summary>
    public ImageAnalogyOptions Options { get; } = options ?? new ImageAnalogyOptions();

    /// <inheritdoc/>
    public override StyleControl Supports => StyleControl.None;

    /// <summary>Exactly two: A, then A′.</summary>
    public override (int Min, int Max) StyleCount => (2, 2);

    /// <inheritdoc/>
    protected override bool OneImageAtATime => true;

    /// <inheritdoc/>
    protected override Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        var relay = ProgressRelay<ImageAnalogyProgress>.To(progress, p => new StyleProgress(Method, p.Level, p.Levels, $"pass {p.Pass}/{p.Passes}"));
        using var result = ImageAnalogy.Run(styles[0], styles[1], content, Options, relay, cancellationToken);
        return result.BPrime.alias();
    }

    /// <inheritdoc/>
    public override void Dispose() { }
}
