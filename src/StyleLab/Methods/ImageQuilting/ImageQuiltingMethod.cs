using static TorchSharp.torch;

namespace StyleLab.Methods.ImageQuilting;

/// <summary>
/// Image Quilting's texture transfer (§3) behind <see cref="IStyleTransfer"/>: the content is the target, the one
/// style image the texture whose blocks render it. No weights; the paper's controls are its block size, overlap,
/// ε, iterations and correspondence (<see cref="ImageQuiltingOptions"/>), not the shared ones, which are rejected.
/// For the block layout and seams, use <see cref="Quilting.Transfer"/>.
/// </summary>
/// <param name="options">Default: the paper's (<see cref="ImageQuiltingOptions"/>).</param>
/// <param name="device">Where the search runs (default CPU).</param>
public sealed class ImageQuiltingMethod(ImageQuiltingOptions? options = null, Device? device = null)
    : StyleTransferMethod("quilt", device ?? CPU, [])
{
    /// <summary>Block size, overlap, tolerance, iterations, correspondence and seed.</summary>
    public ImageQuiltingOptions Options { get; } = options ?? new ImageQuiltingOptions();

    /// <inheritdoc/>
    public override StyleControl Supports => StyleControl.None;

    /// <inheritdoc/>
    protected override bool OneImageAtATime => true;

    /// <inheritdoc/>
    protected override Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        var relay = ProgressRelay<QuiltingProgress>.To(progress, p => new StyleProgress(Method, p.Iteration, p.Iterations, $"block {p.Block}/{p.Blocks}"));
        using var result = Quilting.Transfer(content, styles[0], Options, relay, cancellationToken);
        return result.Image.alias();
    }

    /// <inheritdoc/>
    public override void Dispose() { }
}
