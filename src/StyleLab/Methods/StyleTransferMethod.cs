using StyleLab.Runtime;
using StyleLab.Imaging;
using static TorchSharp.torch;

namespace StyleLab.Methods;

/// <summary>
/// What every <see cref="IStyleTransfer"/> does the same way: check images and controls (unsupported ones
/// are errors naming the method), resize to <see cref="StyleControls.Size"/>, move inputs to the method's
/// device and the result back, run a batch one image at a time where the method needs that, and pass the
/// output through <see cref="StyleOutput.Finish"/>. A method implements only <see cref="Run(Tensor, IReadOnlyList{Tensor}, StyleControls, IProgress{StyleProgress}?, CancellationToken)"/>.
/// </summary>
public abstract class StyleTransferMethod : IStyleTransfer
{
    /// <param name="method">The name <see cref="StyleTransferFactory"/> knows it by.</param>
    /// <param name="device">Where the method's networks are.</param>
    /// <param name="weightFiles">The weight files (empty for random weights).</param>
    protected StyleTransferMethod(string method, Device device, IReadOnlyList<string> weightFiles)
    {
        Method = method;
        Device = device;
        WeightFiles = weightFiles;
    }

    /// <inheritdoc/>
    public string Method { get; }

    /// <summary>The device the method runs on; inputs are moved here and results back.</summary>
    public Device Device { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> WeightFiles { get; }

    /// <inheritdoc/>
    public abstract StyleControl Supports { get; }

    /// <inheritdoc/>
    public virtual (int Min, int Max) StyleCount => (1, Supports.HasFlag(StyleControl.Interpolation) || Supports.HasFlag(StyleControl.Masks) ? int.MaxValue : 1);

    /// <summary>True for methods that take one content image per run (a batch is run image by image).</summary>
    protected virtual bool OneImageAtATime => false;

    /// <inheritdoc/>
    public Tensor Stylize(Tensor content, IReadOnlyList<Tensor> styles, StyleControls? controls = null,
        IProgress<StyleProgress>? progress = null, CancellationToken cancellationToken = default) =>
        StylizeEditing(content, styles, controls, decoderInput: null, progress, cancellationToken);

    /// <summary>
    /// <see cref="Stylize(Tensor, IReadOnlyList{Tensor}, StyleControls?, IProgress{StyleProgress}?, CancellationToken)"/>
    /// with an edit of the decoder's input (<see cref="IDecoderInputAccess"/>; null: none), for the methods that have one.
    /// </summary>
    protected Tensor StylizeEditing(Tensor content, IReadOnlyList<Tensor> styles, StyleControls? controls, Func<Tensor, Tensor>? decoderInput,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(styles);
        controls ??= StyleControls.Default;
        RequireImages(content, "content");
        foreach (var style in styles) RequireImages(style, "styles", one: true);
        var (min, max) = StyleCount;
        if (styles.Count < min || styles.Count > max)
            throw new ArgumentException(min == max
                ? $"{Method} takes {(min == 0 ? "no style images (its style is in its weights)" : $"{min} style image{(min == 1 ? "" : "s")}")}; got {styles.Count}."
                : $"{Method} takes {min} or more style images; got {styles.Count}.", nameof(styles));
        // A method that takes a fixed set of style images (Image Analogies' A and A′) has one style, not several to mix.
        int mixed = min == max ? Math.Min(styles.Count, 1) : styles.Count;
        controls.Validate(Math.Max(styles.Count, 1));
        var unsupported = controls.Used(mixed) & ~Supports;
        if (unsupported != StyleControl.None)
            throw new NotSupportedException($"{Method} does not support {Describe(unsupported)}: its paper defines {(Supports == StyleControl.None ? "no run-time controls" : Describe(Supports))}.");
        cancellationToken.ThrowIfCancellationRequested();

        RequireMemory(content, styles, controls);

        using var scope = NewDisposeScope();
        var input = content.to(ScalarType.Float32, Device);
        if (controls.Size is int size) input = Resampling.Resize(input, Resize.LongestSide(size));
        var styleInputs = styles.Select(s => s.to(ScalarType.Float32, Device)).ToList();
        Tensor raw;
        if (OneImageAtATime && input.shape[0] > 1)
        {
            var outputs = new List<Tensor>();
            for (long i = 0; i < input.shape[0]; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                outputs.Add(Run(input.narrow(0, i, 1), styleInputs, controls, decoderInput, progress, cancellationToken));
            }
            raw = cat(outputs, 0);
        }
        else raw = Run(input, styleInputs, controls, decoderInput, progress, cancellationToken);
        return StyleOutput.Finish(raw, Method, WeightFiles).to(content.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The method's estimated peak memory (<see cref="PeakMemory"/>, <see cref="PeakMemory.Baseline"/> included) for one
    /// content image of <paramref name="height"/> × <paramref name="width"/> and styles of the given sizes, and the cost
    /// of one content pixel (for the advice on what fits); null where the method checks its own budget deeper down
    /// (gatys, fast, analogy) or needs no check.
    /// </summary>
    protected virtual (long Bytes, long BytesPerContentPixel)? EstimatePeak(long height, long width, IReadOnlyList<(long Height, long Width)> styles) => null;

    /// <summary>Refuses a run the memory budget cannot hold, before anything is allocated (<see cref="EstimatePeak"/>).</summary>
    void RequireMemory(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls)
    {
        long height = content.shape[2], width = content.shape[3];
        if (controls.Size is int size)
            (width, height) = Resize.LongestSide(size).TargetSize((int)width, (int)height);
        var styleSizes = styles.Select(s => (s.shape[2], s.shape[3])).ToList();
        if (EstimatePeak(height, width, styleSizes) is not { } estimate) return;
        // A batch runs at once unless the method takes one image at a time.
        long images = OneImageAtATime ? 1 : content.shape[0];
        PeakMemory.Require(estimate.Bytes + (images - 1) * (estimate.Bytes - PeakMemory.Baseline), $"{Method} style transfer", height, width,
            estimate.BytesPerContentPixel * images);
    }

    /// <summary>
    /// Stylises images on <see cref="Device"/> (float32, already resized) with the controls checked against
    /// <see cref="Supports"/>; may return values outside [0,1] (they are checked and clamped after). Runs in
    /// the caller's dispose scope.
    /// </summary>
    protected abstract Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="Run(Tensor, IReadOnlyList{Tensor}, StyleControls, IProgress{StyleProgress}?, CancellationToken)"/> with
    /// <paramref name="decoderInput"/> applied to the decoder's input; methods with an <see cref="IDecoderInputAccess"/> override it.
    /// </summary>
    protected virtual Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, StyleControls controls, Func<Tensor, Tensor>? decoderInput,
        IProgress<StyleProgress>? progress, CancellationToken cancellationToken) =>
        decoderInput is null ? Run(content, styles, controls, progress, cancellationToken)
            : throw new NotSupportedException($"{Method} has no single decoder input to edit.");

    /// <summary>Disposes what the method owns.</summary>
    public abstract void Dispose();

    static string Describe(StyleControl controls) => string.Join(", ", Enum.GetValues<StyleControl>()
        .Where(c => c != StyleControl.None && controls.HasFlag(c))
        .Select(c => c switch
        {
            StyleControl.Alpha => "α",
            StyleControl.Interpolation => "style interpolation",
            StyleControl.Masks => "masks",
            StyleControl.PreserveColor => "colour preservation",
            _ => c.ToString(),
        }));

    static void RequireImages(Tensor images, string name, bool one = false)
    {
        if (images.dim() != 4 || images.shape[1] != 3 || (one && images.shape[0] != 1))
            throw new ArgumentException($"Expected {(one ? "one RGB image [1,3,H,W]" : "RGB images [N,3,H,W]")} in [0,1]; got [{string.Join(",", images.shape)}].", name);
    }
}
