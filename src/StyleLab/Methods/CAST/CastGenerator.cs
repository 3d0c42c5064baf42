using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods.AdaIN;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.CAST;

/// <summary>The two domains of CAST's domain enhancement.</summary>
public enum CastDomain
{
    /// <summary>Domain A: photographs (the content images).</summary>
    Realistic,
    /// <summary>Domain B: paintings (the style images).</summary>
    Artistic,
}

/// <summary>
/// CAST's generator (Zhang et al. 2022, §3.3): one AdaIN auto-encoder "AE" — the normalised VGG up to
/// <see cref="Layer"/>, AdaIN of content features to style statistics — and one decoder per domain:
/// fake_B = Dec_B(AE(real_A, real_B)), fake_A = Dec_A(AE(real_B, real_A)).
/// </summary>
/// <remarks>
/// Official CAST works in the image range [-1, 1] (its data pipeline normalises by 0.5/0.5 and its
/// encoder sees that range directly); this class takes and returns [0, 1] images and maps at the
/// edges. Internally (<see cref="Stylize(Tensor, Tensor, CastDomain)"/>'s symmetric form) images are in [-1, 1].
/// The encoder is trainable: CAST fine-tunes it with the decoders.
/// </remarks>
public sealed class CastGenerator : nn.Module
{
    /// <summary>CAST's image range: [0,1] ↦ [-1,1] (x − 0.5)/0.5, as torchvision Normalize(0.5, 0.5).</summary>
    public static Preprocessing ImageRange { get; } = new("cast [-1,1]", false, 1f, [0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);

    /// <summary>The encoder (official "AE"), trainable.</summary>
    public Vgg19Encoder Encoder { get; }

    /// <summary>The realistic-domain decoder (official "Dec_A").</summary>
    public VggDecoder DecoderA { get; }

    /// <summary>The artistic-domain decoder (official "Dec_B").</summary>
    public VggDecoder DecoderB { get; }

    /// <summary>The layer AdaIN works at: <c>relu4_1</c> (official), <c>relu3_1</c> for the partial-VGG variant.</summary>
    public string Layer { get; }

    /// <summary>Assembles a generator; the decoders must start from the encoder's deepest ReLU layer used.</summary>
    public CastGenerator(Vgg19Encoder encoder, VggDecoder decoderA, VggDecoder decoderB) : base(nameof(CastGenerator))
    {
        if (decoderA.FromLayer != decoderB.FromLayer)
            throw new ArgumentException($"Both decoders must start from the same layer; got {decoderA.FromLayer} and {decoderB.FromLayer}.");
        encoder.Require(decoderA.FromLayer);
        Encoder = encoder;
        DecoderA = decoderA;
        DecoderB = decoderB;
        Layer = decoderA.FromLayer;
        register_module("AE", encoder);
        register_module("Dec_A", decoderA);
        register_module("Dec_B", decoderB);
    }

    /// <summary>
    /// Loads official weights (<c>latest_net_AE.pth</c>, <c>latest_net_Dec_B.pth</c>, optionally
    /// <c>latest_net_Dec_A.pth</c>; <c>.safetensors</c> with the same keys too). Stylisation needs Dec_B
    /// only; without a Dec_A file Dec_A has random weights. The relu3_1 variant StyleLab trains offline
    /// loads the same way (its encoder file records its preprocessing).
    /// </summary>
    public static CastGenerator Load(string encoderPath, string decoderBPath, string? decoderAPath = null, Device? device = null)
    {
        var encoderState = StateDictFile.Load(encoderPath, out var metadata);
        var decoderState = StateDictFile.Load(decoderBPath, out _);
        var decoderAState = decoderAPath is null ? null : StateDictFile.Load(decoderAPath, out _);
        try
        {
            // A partial-VGG (offline) encoder records its preprocessing; the official AE sees [-1, 1].
            var encoder = metadata.TryGetValue("preprocessing", out var name)
                ? Vgg19Encoder.FromStateDict(encoderState.Where(kv => CastWeights.EncoderKeyToNormalised(kv.Key) is not null)
                        .ToDictionary(kv => CastWeights.EncoderKeyToNormalised(kv.Key)!, kv => kv.Value),
                    Preprocessing.FromName(name), VggPresets.Normalised, encoderPath, VggWeightLayout.AdaINNormalised, trainable: true)
                : CastWeights.EncoderFromStateDict(encoderState, encoderPath);
            var decoderB = VggDecoder.FromStateDict(CastWeights.DecoderKeys(decoderState), decoderBPath);
            var decoderA = decoderAState is null ? new VggDecoder(decoderB.FromLayer) : VggDecoder.FromStateDict(CastWeights.DecoderKeys(decoderAState), decoderAPath!);
            var generator = new CastGenerator(encoder, decoderA, decoderB);
            if (device is not null) generator.to(device);
            return generator;
        }
        finally
        {
            foreach (var t in encoderState.Values.Concat(decoderState.Values).Concat(decoderAState?.Values.AsEnumerable() ?? [])) t.Dispose();
        }
    }

    /// <summary>A generator with random weights (full size from <paramref name="layer"/>): for timing and tests.</summary>
    public static CastGenerator Random(string layer = "relu4_1", long seed = 0, Device? device = null)
    {
        var encoder = Vgg19Encoder.Random(seed, ImageRange, VggPresets.Normalised, device, trainable: true, leadingConv: true, depth: layer);
        using var saved = random.get_rng_state();
        random.manual_seed(seed + 1);
        var generator = new CastGenerator(encoder, new VggDecoder(layer), new VggDecoder(layer));
        random.set_rng_state(saved);
        if (device is not null) generator.to(device);
        return generator;
    }

    /// <summary>
    /// The official <c>ADAIN_Encoder.forward</c>: AdaIN of <paramref name="content"/>'s features to
    /// <paramref name="style"/>'s statistics, both images in [-1, 1].
    /// </summary>
    public Tensor Transfer(Tensor content, Tensor style)
    {
        using var scope = NewDisposeScope();
        var c = Features(content);
        var s = Features(style);
        return AdaptiveInstanceNorm.Apply(c, s).MoveToOuterDisposeScope();
    }

    /// <summary>Encoder features at <see cref="Layer"/> of an image in [-1, 1].</summary>
    public Tensor Features(Tensor image)
    {
        using var scope = NewDisposeScope();
        // The encoder's preprocessing maps [0,1] images to its input; CAST's images are [-1,1].
        using var outputs = Encoder.Encode((image + 1) * 0.5, [Layer]);
        return outputs[Layer].alias().MoveToOuterDisposeScope();
    }

    /// <summary>Decodes features into the domain's image in [-1, 1].</summary>
    public Tensor Decode(Tensor features, CastDomain domain) =>
        (domain == CastDomain.Artistic ? DecoderB : DecoderA).forward(features);

    /// <summary>G(content, style) in CAST's [-1, 1] range: the decoder of <paramref name="target"/> on AE(content, style).</summary>
    public Tensor Generate(Tensor content, Tensor style, CastDomain target)
    {
        using var scope = NewDisposeScope();
        return Decode(Transfer(content, style), target).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Stylises <paramref name="content"/> [N,3,H,W] in [0,1] with <paramref name="style"/> [N or 1,3,H',W']
    /// in [0,1]: Dec_B(AE(content, style)) for the artistic domain (the paper's stylisation), clamped to [0,1].
    /// </summary>
    public Tensor Stylize(Tensor content, Tensor style, CastDomain target = CastDomain.Artistic)
    {
        using var scope = NewDisposeScope();
        return Render(content, style, target).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary><see cref="Stylize"/> before clamping (so <see cref="StyleOutput"/> sees ±∞).</summary>
    internal Tensor Render(Tensor content, Tensor style, CastDomain target)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var output = Generate(ImageRange.Apply(content), ImageRange.Apply(style), target);
        // Pools round up (ceil mode), so sizes that are not multiples of the encoder's stride come back larger: crop.
        output = output.narrow(2, 0, content.shape[2]).narrow(3, 0, content.shape[3]);
        return ImageRange.Invert(output).MoveToOuterDisposeScope();
    }

    /// <summary>The official state dicts: "AE" (<c>enc_k.i.*</c>), "Dec_A" and "Dec_B" (<c>decoder.i.*</c>).</summary>
    public Dictionary<string, Dictionary<string, Tensor>> OfficialStateDicts() => new()
    {
        ["AE"] = CastWeights.EncoderStateDict(Encoder),
        ["Dec_A"] = DecoderA.state_dict().ToDictionary(kv => "decoder." + kv.Key, kv => kv.Value),
        ["Dec_B"] = DecoderB.state_dict().ToDictionary(kv => "decoder." + kv.Key, kv => kv.Value),
    };
}
