using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.SANet;

/// <summary>
/// Arbitrary style transfer with style-attentional networks (Park &amp; Lee, CVPR 2019): a frozen VGG-19
/// encoder, the <see cref="SANetTransform"/> (SANets at two layers, merged) and the AdaIN-style
/// <see cref="VggDecoder"/>, with the paper's run-time controls: content–style trade-off α, style
/// interpolation, spatial control with masks, and the level ablation — and the attention itself.
/// </summary>
public sealed class SANetModel : IDisposable
{
    /// <summary>Assembles a model; the encoder must reach <see cref="SANetTransform.Layers"/>' deep layer and the decoder start at its shallow one.</summary>
    public SANetModel(Vgg19Encoder encoder, SANetTransform transform, VggDecoder decoder)
    {
        Encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        Transform = transform ?? throw new ArgumentNullException(nameof(transform));
        Decoder = decoder ?? throw new ArgumentNullException(nameof(decoder));
        encoder.Require(transform.Layers.Deep);
        if (transform.Channels != transform.Layers.Channels)
            throw new ArgumentException($"The transform is {transform.Channels} channels wide; {transform.Layers} features have {transform.Layers.Channels}.", nameof(transform));
        if (decoder.FromLayer != transform.Layers.Shallow)
            throw new ArgumentException($"The decoder starts at {decoder.FromLayer}, but the transform's merged features are at {transform.Layers.Shallow}.", nameof(decoder));
    }

    /// <summary>The frozen VGG-19.</summary>
    public Vgg19Encoder Encoder { get; }

    /// <summary>The SANets and the merge convolution.</summary>
    public SANetTransform Transform { get; }

    /// <summary>The decoder from the shallow layer to the image.</summary>
    public VggDecoder Decoder { get; }

    /// <summary>The two layers attended at.</summary>
    public SANetLayers Layers => Transform.Layers;

    /// <summary>
    /// Loads the official files: <c>vgg_normalised.pth</c>, <c>transformer_iter_*.pth</c>, <c>decoder_iter_*.pth</c>
    /// (or StyleLab's safetensors exports with the same keys). The encoder runs as the official one
    /// (reflection padding, ceil-mode max pooling); its preprocessing comes from the file.
    /// </summary>
    public static SANetModel Load(string vggPath, string transformerPath, string decoderPath, Device? device = null)
    {
        var encoder = Vgg19Encoder.Load(vggPath, VggPresets.Normalised, device: device);
        var transform = SANetTransform.Load(transformerPath, device);
        var decoder = VggDecoder.Load(decoderPath, device);
        if (decoder.FromLayer != transform.Layers.Shallow)
            throw new WeightFileException(decoderPath, $"decodes from {decoder.FromLayer}, but the transformer '{transformerPath}' merges at {transform.Layers.Shallow}.");
        return new SANetModel(encoder, transform, decoder);
    }

    /// <summary>The full-size architecture with random weights (timing, tests); <paramref name="layers"/> defaults to the paper's.</summary>
    public static SANetModel Random(SANetLayers? layers = null, long seed = 0, Device? device = null)
    {
        layers ??= SANetLayers.Paper;
        var encoder = Vgg19Encoder.Random(seed, Preprocessing.Identity, VggPresets.Normalised, device);
        using var saved = random.get_rng_state();
        random.manual_seed(seed);
        var transform = new SANetTransform(layers);
        var decoder = new VggDecoder(layers.Shallow);
        random.set_rng_state(saved);
        if (device is not null)
        {
            transform.to(device);
            decoder.to(device);
        }
        return new SANetModel(encoder, transform, decoder);
    }

    /// <summary>Stylises content [N,3,H,W] with style [N or 1,3,H',W'] (images in [0,1]); the result has the content's size, in [0,1].</summary>
    public Tensor Stylize(Tensor content, Tensor style, SANetOptions? options = null) =>
        Stylize(content, [style], [1.0], options);

    /// <summary>Style interpolation: <c>F = Σ_k w_k F_csc(c, s_k)</c> (weights are normalised to sum to 1).</summary>
    public Tensor Stylize(Tensor content, IReadOnlyList<Tensor> styles, IReadOnlyList<double> weights, SANetOptions? options = null) =>
        Clamped(Render(content, styles, weights, options));

    /// <summary>
    /// Spatial control: region k of the content (mask k, [H,W] or [1,1,H,W], 1 inside) takes style k;
    /// masks are resized (nearest) to the merged feature grid and should cover the image between them.
    /// </summary>
    public Tensor Stylize(Tensor content, IReadOnlyList<Tensor> styles, IReadOnlyList<Tensor> masks, SANetOptions? options = null) =>
        Clamped(Render(content, styles, masks, options));

    static Tensor Clamped(Tensor image)
    {
        using (image) return image.clamp(0, 1);
    }

    /// <summary>Style interpolation before clamping (so <see cref="StyleOutput"/> sees ±∞).</summary>
    internal Tensor Render(Tensor content, IReadOnlyList<Tensor> styles, IReadOnlyList<double> weights, SANetOptions? options)
    {
        var normalised = StyleWeights.Normalise(weights, styles.Count);
        return Run(content, styles, (k, _) => torch.tensor(normalised[k], ScalarType.Float32), options);
    }

    /// <summary>Spatial control before clamping.</summary>
    internal Tensor Render(Tensor content, IReadOnlyList<Tensor> styles, IReadOnlyList<Tensor> masks, SANetOptions? options)
    {
        if (styles.Count == 0 || styles.Count != masks.Count)
            throw new ArgumentException($"Give one mask per style ({styles.Count} styles, {masks.Count} masks).", nameof(masks));
        return Run(content, styles, (k, like) =>
        {
            var m = masks[k].to(like.dtype, like.device);
            while (m.dim() < 4) m = m.unsqueeze(0);
            return F.interpolate(m, size: [like.shape[2], like.shape[3]], mode: InterpolationMode.Nearest);
        }, options);
    }

    Tensor Run(Tensor content, IReadOnlyList<Tensor> styles, Func<int, Tensor, Tensor> weight, SANetOptions? options)
    {
        options ??= SANetOptions.Default;
        options.Validate();
        CheckImage(content, nameof(content));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (cs, cd) = Encode(content);
        Tensor? mixed = null;
        for (int k = 0; k < styles.Count; k++)
        {
            CheckImage(styles[k], nameof(styles));
            var (ss, sd) = Encode(styles[k]);
            var t = Transform.Forward(cs, Match(ss, cs), cd, Match(sd, cd), options.Levels);
            var term = weight(k, t) * t;
            mixed = mixed is null ? term : mixed + term;
        }
        if (options.Alpha < 1)
            mixed = options.Alpha * mixed! + (1 - options.Alpha) * Transform.Forward(cs, cs, cd, cd, options.Levels);
        var image = Decode(mixed!, content);
        return image.MoveToOuterDisposeScope();
    }

    /// <summary>The attention of both levels for one content image and one style image ([1,3,H,W] each).</summary>
    public SANetAttention Attention(Tensor content, Tensor style)
    {
        CheckImage(content, nameof(content));
        CheckImage(style, nameof(style));
        if (content.shape[0] != 1 || style.shape[0] != 1) throw new ArgumentException("Attention is computed for one content and one style image.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (cs, cd) = Encode(content);
        var (ss, sd) = Encode(style);
        var shallow = Map(Layers.Shallow, Transform.ShallowNet, cs, ss);
        var deep = Map(Layers.Deep, Transform.DeepNet, cd, sd);
        return new SANetAttention(shallow, deep);
    }

    static AttentionMap Map(string layer, SANetModule net, Tensor content, Tensor style)
    {
        var (output, attention) = net.Attend(content, style);
        output.Dispose();
        var weights = attention[0].cpu().MoveToOuterDisposeScope();
        return new AttentionMap(layer, weights, (int)content.shape[2], (int)content.shape[3], (int)style.shape[2], (int)style.shape[3]);
    }

    /// <summary>The features at the shallow and the deep layer.</summary>
    internal (Tensor Shallow, Tensor Deep) Encode(Tensor image)
    {
        using var outputs = Encoder.Encode(image, [Layers.Shallow, Layers.Deep]);
        return (outputs[Layers.Shallow].alias(), outputs[Layers.Deep].alias());
    }

    /// <summary>Decodes merged features and crops to the content's size (ceil-mode pooling rounds odd sizes up).</summary>
    internal Tensor Decode(Tensor merged, Tensor content)
    {
        var image = Decoder.forward(merged);
        return image[.., .., ..(int)content.shape[2], ..(int)content.shape[3]];
    }

    /// <summary>A single style for a batch of contents is shared by all of them.</summary>
    static Tensor Match(Tensor style, Tensor content) =>
        style.shape[0] == content.shape[0] ? style
        : style.shape[0] == 1 ? style.expand(content.shape[0], -1, -1, -1)
        : throw new ArgumentException($"{style.shape[0]} style images for {content.shape[0]} content images; give one or as many.");

    static void CheckImage(Tensor image, string name)
    {
        if (image.dim() != 4 || image.shape[1] != 3)
            throw new ArgumentException($"Expected images [N,3,H,W]; got [{string.Join(",", image.shape)}].", name);
    }

    /// <summary>
    /// Saves the transform and the decoder as safetensors with the official keys (what
    /// <see cref="Load"/> and the official code's <c>load_state_dict</c> read).
    /// </summary>
    public void Save(string transformerPath, string decoderPath)
    {
        var meta = new Dictionary<string, string> { ["layers"] = Layers.ToString(), ["format"] = "SANet (GlebSBrykin/SANET keys)" };
        SafeTensors.Save(transformerPath, Transform.state_dict(), meta);
        SafeTensors.Save(decoderPath, Decoder.state_dict(), meta);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Encoder.Dispose();
        Transform.Dispose();
        Decoder.Dispose();
    }
}
