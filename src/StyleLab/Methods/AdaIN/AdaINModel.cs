using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Imaging;
using static TorchSharp.torch;

namespace StyleLab.Methods.AdaIN;

/// <summary>
/// AdaIN's network (Huang &amp; Belongie 2017, §6.1): the frozen normalised VGG-19 encoder f up to a
/// <c>reluN_1</c> layer and the decoder g that mirrors it. The paper's layer is <c>relu4_1</c>; with
/// weights that stop earlier (../shared's partial VGG) the same pipeline runs at <c>relu3_1</c>.
/// </summary>
public sealed class AdaINModel : IDisposable
{
    /// <summary>Pairs an encoder with a decoder; the decoder's <see cref="VggDecoder.FromLayer"/> is the AdaIN layer.</summary>
    /// <exception cref="ArgumentException">The encoder does not reach the decoder's layer.</exception>
    public AdaINModel(Vgg19Encoder encoder, VggDecoder decoder)
    {
        Encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        Decoder = decoder ?? throw new ArgumentNullException(nameof(decoder));
        encoder.Require(decoder.FromLayer);
    }

    /// <summary>The frozen encoder f.</summary>
    public Vgg19Encoder Encoder { get; }

    /// <summary>The decoder g.</summary>
    public VggDecoder Decoder { get; }

    /// <summary>Where AdaIN acts (<c>relu4_1</c> in the paper).</summary>
    public string Layer => Decoder.FromLayer;

    /// <summary>The layers of the style loss: <c>relu1_1 … </c><see cref="Layer"/>.</summary>
    public IReadOnlyList<string> StyleLayers => NormalisedVgg.LayersUpTo(Layer);

    /// <summary>
    /// Loads the official pair (<c>vgg_normalised.pth</c>, <c>decoder.pth</c>) or any VGG-19 file with a
    /// decoder trained on it (e.g. by <c>stylelab train adain</c>); the decoder file fixes the layer.
    /// </summary>
    public static AdaINModel Load(string vggPath, string decoderPath, Device? device = null)
    {
        var encoder = NormalisedVgg.Load(vggPath, device: device);
        try
        {
            var decoder = VggDecoder.Load(decoderPath, device);
            decoder.eval();
            if (VggLayers.Get(decoder.FromLayer).Index > encoder.DeepestLayer.Index)
            {
                decoder.Dispose();
                throw new Weights.WeightFileException(decoderPath,
                    $"decodes {decoder.FromLayer} features, but the VGG weights {vggPath} stop at {encoder.DeepestLayer.Name}.");
            }
            return new AdaINModel(encoder, decoder);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    /// <summary>f(x): the features at <see cref="Layer"/> of images [N,3,H,W] in [0,1].</summary>
    public Tensor Encode(Tensor images)
    {
        using var outputs = Encoder.Encode(images, [Layer]);
        return outputs[Layer].alias();
    }

    /// <summary>g(t): images (about [0,1], not clamped) from features at <see cref="Layer"/>.</summary>
    public Tensor Decode(Tensor features) => Decoder.forward(features);

    /// <summary>Stylises <paramref name="content"/> with one style (see <see cref="Stylize(Tensor, IReadOnlyList{Tensor}, AdaINOptions?, Tensor?)"/>).</summary>
    public Tensor Stylize(Tensor content, Tensor style, AdaINOptions? options = null) =>
        Stylize(content, [style], options);

    /// <summary>
    /// Stylises <paramref name="content"/> [N,3,H,W] in [0,1] with one or more <paramref name="styles"/>
    /// ([1 or N,3,h,w] each, any sizes). With a <paramref name="mask"/> exactly two styles are needed: the
    /// first goes where the mask is white (&gt; 0.5), the second elsewhere. Returns [N,3,H,W] in [0,1];
    /// the decoder's output (a multiple of the encoder's stride) is cropped back to the content's size.
    /// </summary>
    /// <param name="content">Content images [N,3,H,W] in [0,1].</param>
    /// <param name="styles">Style images, one per style.</param>
    /// <param name="options">α, interpolation weights, colour preservation.</param>
    /// <param name="mask">[H,W], [1,H,W] or [1,1,H,W] at any size; resized to the features by nearest neighbour.</param>
    public Tensor Stylize(Tensor content, IReadOnlyList<Tensor> styles,
        AdaINOptions? options = null, Tensor? mask = null)
    {
        using var scope = NewDisposeScope();
        return Render(content, styles, options, mask).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Stylize(Tensor, IReadOnlyList{Tensor}, AdaINOptions?, Tensor?)"/> before clamping (so <see cref="StyleOutput"/> sees ±∞).</summary>
    /// <remarks><paramref name="decoderInput"/> edits the AdaIN target t before decoding (<see cref="IDecoderInputAccess"/>).</remarks>
    internal Tensor Render(Tensor content, IReadOnlyList<Tensor> styles, AdaINOptions? options, Tensor? mask, Func<Tensor, Tensor>? decoderInput = null)
    {
        options ??= new AdaINOptions();
        if (styles.Count == 0) throw new ArgumentException("AdaIN needs at least one style image.", nameof(styles));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var contentFeatures = Encode(content);
        var styleFeatures = styles
            .Select(s => Encode(options.PreserveColor ? ColorTransfer.MatchColorStatistics(s, content) : s))
            .ToList();
        var target = AdaINStyleTransfer.TransformFeatures(contentFeatures, styleFeatures, options, mask);
        if (decoderInput is not null) target = decoderInput(target);
        var image = Decode(target);
        long h = content.shape[2], w = content.shape[3];
        if (image.shape[2] > h || image.shape[3] > w) image = image[.., .., ..(int)h, ..(int)w];
        return image.MoveToOuterDisposeScope();
    }

    /// <summary>Releases both networks.</summary>
    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
    }
}
