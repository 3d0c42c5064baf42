using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.WCT;

/// <summary>
/// Universal style transfer (Li et al. 2017): at each level, coarse to fine, encode the current image to
/// <c>relu{k}_1</c>, replace its features by their whitening-colouring transform with the style's, and
/// decode with that level's decoder; the decoded image is the next level's content (§3.2, Fig. 2c).
/// </summary>
/// <remarks>
/// One VGG-19 serves every level (the official five encoders are prefixes of the same network). The style
/// images are encoded once, to the deepest level, and every level reads its layer from that pass.
/// Decoded images are not clamped between levels, as in the official code; the final one is.
/// </remarks>
public sealed class UniversalStyleTransfer : IDisposable
{
    readonly Dictionary<string, VggDecoder> _decoders;

    /// <summary>A pipeline over <paramref name="encoder"/> and decoders keyed by their <see cref="VggDecoder.FromLayer"/>.</summary>
    /// <param name="ownsModels">Dispose the encoder and decoders with the pipeline.</param>
    public UniversalStyleTransfer(Vgg19Encoder encoder, IEnumerable<VggDecoder> decoders, bool ownsModels = false)
    {
        Encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _decoders = new();
        foreach (var decoder in decoders)
        {
            if (!_decoders.TryAdd(decoder.FromLayer, decoder))
                throw new ArgumentException($"Two decoders start from {decoder.FromLayer}.", nameof(decoders));
            decoder.eval();
        }
        OwnsModels = ownsModels;
    }

    /// <summary>The VGG-19 encoder every level shares.</summary>
    public Vgg19Encoder Encoder { get; }

    /// <summary>The decoders, by the layer they invert.</summary>
    public IReadOnlyDictionary<string, VggDecoder> Decoders => _decoders;

    /// <summary>Whether <see cref="Dispose"/> frees the encoder and decoders.</summary>
    public bool OwnsModels { get; }

    /// <summary>Options for the levels this pipeline can run (see <see cref="WctOptions.For"/>).</summary>
    public WctOptions DefaultOptions => WctOptions.For(Encoder, _decoders.Keys);

    /// <summary>
    /// Stylises <paramref name="content"/> [1,3,H,W] with <paramref name="styles"/> (each [1,3,h,w], in [0,1]).
    /// Several styles are interpolated by <paramref name="weights"/> (null: equal), or, with
    /// <paramref name="regions"/> [H,W] (int64 style index per pixel, −1 keeps the content; see
    /// <see cref="WctRegions"/>), each applied to its own region.
    /// </summary>
    public WctResult Stylize(Tensor content, IReadOnlyList<Tensor> styles, WctOptions? options = null,
        IReadOnlyList<double>? weights = null, Tensor? regions = null,
        IProgress<WctProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= DefaultOptions;
        if (content.dim() != 4 || content.shape[0] != 1 || content.shape[1] != 3)
            throw new ArgumentException($"The content must be one RGB image [1,3,H,W]; got [{string.Join(",", content.shape)}].", nameof(content));
        if (styles.Count == 0) throw new ArgumentException("At least one style image is needed.", nameof(styles));
        foreach (var style in styles)
            if (style.dim() != 4 || style.shape[0] != 1 || style.shape[1] != 3)
                throw new ArgumentException($"Each style must be one RGB image [1,3,H,W]; got [{string.Join(",", style.shape)}].", nameof(styles));
        var levels = options.CoarseToFine;
        foreach (var layer in levels)
        {
            Encoder.Require(layer);
            if (!_decoders.ContainsKey(layer))
                throw new ArgumentException(
                    $"No decoder for {layer}; decoders exist for {(_decoders.Count == 0 ? "no layer" : string.Join(", ", _decoders.Keys))}.", nameof(options));
        }
        if (regions is not null && (regions.dim() != 2 || regions.shape[0] != content.shape[2] || regions.shape[1] != content.shape[3]))
            throw new ArgumentException(
                $"The region map must be [H,W] = [{content.shape[2]},{content.shape[3]}] like the content; got [{string.Join(",", regions.shape)}].", nameof(regions));
        if (regions is not null && weights is not null)
            throw new ArgumentException("Give interpolation weights or a region map, not both: regions give each style its own part of the image.", nameof(weights));
        var normalised = StyleWeights.Normalise(weights, styles.Count);

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var styleImages = styles.Select(s => options.PreserveColor ? ColorTransfer.MatchColorStatistics(s, content) : s).ToList();
        var styleFeatures = styleImages.Select(s => Encoder.Encode(s, levels)).ToList();
        var image = content;
        var results = new List<WctLevelResult>();
        for (int i = 0; i < levels.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string layer = levels[i];
            var contentFeatures = Encoder.Encode(image, [layer])[layer];
            var layerStyles = styleFeatures.Select(f => f[layer]).ToList();
            var transformed = regions is null
                ? WhiteningColoring.Transform(contentFeatures, layerStyles, normalised, options.Alpha, options.EigenvalueThreshold, options.ContentRegularization)
                : WhiteningColoring.TransformRegions(contentFeatures, layerStyles, WctRegions.Resize(regions, contentFeatures.shape[2], contentFeatures.shape[3]),
                    options.Alpha, options.EigenvalueThreshold, options.ContentRegularization);
            image = Fit(_decoders[layer].forward(transformed), content);
            results.Add(new WctLevelResult(layer, image));
            progress?.Report(new WctProgress(layer, i + 1, levels.Count));
        }
        var final = image.clamp(0, 1);
        foreach (var r in results) r.Image.MoveToOuterDisposeScope();
        return new WctResult(final.MoveToOuterDisposeScope(), results);
    }

    /// <summary>
    /// Decoders up-sample ×2 per pooling, so with ceil-mode pooling an odd side comes back one pixel larger:
    /// crop to the content's size so every level (and the result) has the input's shape.
    /// </summary>
    static Tensor Fit(Tensor decoded, Tensor content)
    {
        long h = content.shape[2], w = content.shape[3];
        if (decoded.shape[2] == h && decoded.shape[3] == w) return decoded;
        if (decoded.shape[2] >= h && decoded.shape[3] >= w) return decoded[.., .., ..(int)h, ..(int)w];
        return F.interpolate(decoded, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
    }

    /// <summary>Frees the encoder and decoders when the pipeline owns them.</summary>
    public void Dispose()
    {
        if (!OwnsModels) return;
        Encoder.Dispose();
        foreach (var decoder in _decoders.Values) decoder.Dispose();
    }
}
