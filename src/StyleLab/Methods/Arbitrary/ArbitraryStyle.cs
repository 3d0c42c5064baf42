using StyleLab.Imaging;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.Arbitrary;

/// <summary>
/// Arbitrary style transfer in one forward pass (Ghiasi et al., BMVC 2017, with Magenta's distilled
/// networks): <see cref="PredictStyle"/> maps any painting to a 100-d style bottleneck S, and
/// <see cref="Stylize(Tensor, Tensor)"/> renders any photo in that style. Because a style is just a vector, styles
/// mix (<see cref="Interpolate"/>) and a photo's own style can be blended back in to weaken the effect
/// (<see cref="BlendWithContentStyle"/>).
/// </summary>
/// <example>
/// <code>
/// using var magenta = ArbitraryStyle.Load();
/// using var starry = magenta.PredictStyle(ImageIO.Load("Starry.jpg"));
/// using var result = magenta.Stylize(ImageIO.Load("chicago.jpg"), starry);
/// </code>
/// </example>
public sealed class ArbitraryStyle : IDisposable
{
    /// <summary>Where the TFLite files sit under a weights root.</summary>
    public const string WeightsFolder = "magenta-arbitrary/tflite";

    /// <summary>The style prediction network P.</summary>
    public StylePredictionNetwork Predictor { get; }

    /// <summary>The style transfer network T.</summary>
    public StyleTransformerNetwork Transformer { get; }

    /// <summary>The options the networks were loaded with.</summary>
    public ArbitraryStyleOptions Options { get; }

    /// <summary>The device the networks run on.</summary>
    public Device Device { get; }

    ArbitraryStyle(StylePredictionNetwork predictor, StyleTransformerNetwork transformer, ArbitraryStyleOptions options, Device device)
    {
        (Predictor, Transformer, Options, Device) = (predictor, transformer, options, device);
        foreach (var module in new nn.Module[] { predictor, transformer })
        {
            module.to(device);
            module.eval();
            foreach (var p in module.parameters()) p.requires_grad = false;
        }
    }

    /// <summary>
    /// Loads the two networks from <paramref name="folder"/> (holding the .tflite files), or from
    /// <c>magenta-arbitrary/tflite</c> under the first of <paramref name="weightsRoots"/> (default: where
    /// StyleLab looks for weights: <c>STYLELAB_WEIGHTS</c>, the checkout's <c>weights/</c>, the cache) that has them.
    /// </summary>
    public static ArbitraryStyle Load(string? folder = null, ArbitraryStyleOptions? options = null, Device? device = null, IEnumerable<string>? weightsRoots = null)
    {
        options ??= new ArbitraryStyleOptions();
        folder ??= FindFolder(options, weightsRoots);
        var predictor = StylePredictionNetwork.FromTflite(TfliteModel.Load(Path.Combine(folder, options.PredictorFile)), options.SimulateInt8);
        var transformer = StyleTransformerNetwork.FromTflite(TfliteModel.Load(Path.Combine(folder, options.TransformerFile)));
        return new ArbitraryStyle(predictor, transformer, options, device ?? CPU);
    }

    /// <summary>
    /// The style bottleneck S [N,100] of style images [N,3,H,W] in [0,1], each centre-cropped to a
    /// square and resized to <see cref="ArbitraryStyleOptions.StyleSize"/> as Magenta does.
    /// </summary>
    public Tensor PredictStyle(Tensor style)
    {
        RequireImages(style, nameof(style));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long side = Math.Min(style.shape[2], style.shape[3]);
        var square = style.narrow(2, (style.shape[2] - side) / 2, side).narrow(3, (style.shape[3] - side) / 2, side);
        var input = Resampling.Resize(square.to(ScalarType.Float32, Device), Options.StyleSize, Options.StyleSize);
        return Predictor.forward(input).to(style.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Renders content images [N,3,H,W] in [0,1] in the style of bottlenecks [N,100] (or one [1,100]
    /// for all). Any size: images are reflection-padded at the bottom/right to a multiple of 4 and the
    /// result cropped back, so the output has the content's size and device.
    /// </summary>
    public Tensor Stylize(Tensor content, Tensor bottleneck) => Stylize(content, bottleneck, decoderInput: null);

    /// <summary><see cref="Stylize(Tensor, Tensor)"/> with an edit of the transformer's decoder input (<see cref="IDecoderInputAccess"/>).</summary>
    public Tensor Stylize(Tensor content, Tensor bottleneck, Func<Tensor, Tensor>? decoderInput)
    {
        RequireImages(content, nameof(content));
        RequireMinimumSize(content, nameof(content));
        if (bottleneck.dim() != 2 || (bottleneck.shape[0] != 1 && bottleneck.shape[0] != content.shape[0]))
            throw new ArgumentException($"Expected bottlenecks [1,100] or [{content.shape[0]},100]; got [{string.Join(",", bottleneck.shape)}].", nameof(bottleneck));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long height = content.shape[2], width = content.shape[3];
        int m = StyleTransformerNetwork.SizeMultiple;
        long bottom = (m - height % m) % m, right = (m - width % m) % m;
        var x = content.to(ScalarType.Float32, Device);
        if (bottom + right > 0)
            x = F.pad(x, [0, right, 0, bottom], height > bottom && width > right ? PaddingModes.Reflect : PaddingModes.Replicate);
        var y = Transformer.Run(x, bottleneck.to(ScalarType.Float32, Device), trace: null, decoderInput).narrow(2, 0, height).narrow(3, 0, width);
        return y.to(content.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A weighted mix of style bottlenecks ([1,100] each): Σ wᵢ Sᵢ / Σ wᵢ. Ghiasi et al. (§4.3) show the
    /// bottleneck space is smooth enough that mixes are coherent new styles.
    /// </summary>
    public static Tensor Interpolate(IReadOnlyList<Tensor> bottlenecks, IReadOnlyList<double> weights)
    {
        if (bottlenecks.Count == 0 || bottlenecks.Count != weights.Count)
            throw new ArgumentException($"Need one weight per bottleneck; got {bottlenecks.Count} bottlenecks and {weights.Count} weights.");
        double total = weights.Sum();
        if (!(total > 0 && double.IsFinite(total)) || weights.Any(w => !(w >= 0))) throw new ArgumentException("Weights must be non-negative with a positive sum.", nameof(weights));
        using var scope = NewDisposeScope();
        var mix = bottlenecks.Select((b, i) => b * (weights[i] / total)).Aggregate((a, b) => a + b);
        return mix.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The content/style trade-off of Magenta's arbitrary stylisation: the style bottleneck mixed with
    /// the content image's own, <c>strength · S_style + (1 − strength) · S_content</c>. Strength 1 is
    /// the full style, 0 renders the photo in its own style (close to the photo).
    /// </summary>
    public Tensor BlendWithContentStyle(Tensor content, Tensor styleBottleneck, double strength)
    {
        // Written so that NaN fails too (it fails every comparison): a NaN strength renders a black image.
        if (!(strength >= 0 && strength <= 1)) throw new ArgumentOutOfRangeException(nameof(strength), strength, "Strength must lie in [0, 1].");
        using var own = PredictStyle(content);
        return Interpolate([styleBottleneck, own], [strength, 1 - strength]);
    }

    /// <summary>
    /// The smallest side the transformer takes: a side is padded to a multiple of 8, and the first 9×9
    /// convolution's reflection padding (4) needs more pixels than it pads; 5 → 8 works, 4 fails (measured).
    /// </summary>
    public const int MinimumSide = 5;

    static void RequireMinimumSize(Tensor images, string name)
    {
        if (images.shape[2] < MinimumSide || images.shape[3] < MinimumSide)
            throw new ArgumentException(
                $"The content image is {images.shape[3]}×{images.shape[2]} pixels; arbitrary style transfer needs at least {MinimumSide}×{MinimumSide}.", name);
    }

    static void RequireImages(Tensor images, string name)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"Expected an image batch [N,3,H,W]; got [{string.Join(",", images.shape)}].", name);
    }

    static string FindFolder(ArbitraryStyleOptions options, IEnumerable<string>? weightsRoots)
    {
        var roots = (weightsRoots ?? WeightFolders.Default()).ToList();
        foreach (var root in roots)
        {
            var folder = Path.Combine(root, WeightsFolder);
            if (File.Exists(Path.Combine(folder, options.PredictorFile)) && File.Exists(Path.Combine(folder, options.TransformerFile))) return folder;
        }
        throw new ArgumentException(
            $"Magenta's {options.PredictorFile} and {options.TransformerFile} were not found " +
            (roots.Count == 0 ? "(no weights folders)" : $"in {string.Join(", ", roots.Select(r => Path.Combine(r, WeightsFolder)))}") +
            $"; pass their folder, or point STYLELAB_WEIGHTS at a folder that holds {WeightsFolder}/.");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Predictor.Dispose();
        Transformer.Dispose();
    }
}
