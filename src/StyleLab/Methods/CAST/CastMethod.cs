using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Methods.CAST;

/// <summary>
/// CAST's generator behind <see cref="IStyleTransfer"/>: Dec_B(AdaIN(E(content), E(style))) with one style.
/// Zhang et al. (2022) define no run-time controls, so α, interpolation, masks and colour are rejected.
/// </summary>
public sealed class CastMethod : StyleTransferMethod
{
    readonly bool _ownsGenerator;

    /// <param name="generator">The trained generator (switched to evaluation mode).</param>
    /// <param name="weightFiles">The files it was loaded from.</param>
    /// <param name="ownsGenerator">Dispose the generator with this object.</param>
    public CastMethod(CastGenerator generator, IReadOnlyList<string>? weightFiles = null, bool ownsGenerator = true)
        : base("cast", generator.parameters().First().device, weightFiles ?? [])
    {
        Generator = generator;
        generator.eval();
        _ownsGenerator = ownsGenerator;
    }

    /// <summary>The generator.</summary>
    public CastGenerator Generator { get; }

    /// <inheritdoc/>
    public override StyleControl Supports => StyleControl.None;

    /// <inheritdoc/>
    protected override (long Bytes, long BytesPerContentPixel)? EstimatePeak(long height, long width, IReadOnlyList<(long Height, long Width)> styles) =>
        (PeakMemory.PerPixel(PeakMemory.CastBytesPerPixel, height, width, styles), PeakMemory.CastBytesPerPixel);

    /// <inheritdoc/>
    protected override Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        var image = Generator.Render(content, styles[0], CastDomain.Artistic);
        progress?.Report(new StyleProgress(Method, 1, 1));
        return image;
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        if (_ownsGenerator) Generator.Dispose();
    }
}
