using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Encoders;

/// <summary>
/// VGG-19's feature extractor with named layers (<c>conv1_1 … relu5_4</c>, <c>pool1 … pool5</c>).
/// <see cref="Encode"/> runs the network once, only as deep as the deepest requested layer, and
/// returns every requested activation, so several losses share one forward pass. Weight files may
/// stop early (../shared's ImageNet VGG ends at <c>conv3_4</c>); the encoder then supports the layers
/// up to the next convolution and says so when asked for more.
/// </summary>
public sealed class Vgg19Encoder : nn.Module
{
    readonly Dictionary<string, Conv2d> _convs = new();
    readonly Conv2d? _conv0;

    /// <summary>How images become network input; a property of the weights.</summary>
    public Preprocessing Preprocessing { get; }

    /// <summary>Pooling, padding and ceil mode.</summary>
    public VggOptions Options { get; }

    /// <summary>Where the weights came from (a file path, "random", …), for messages.</summary>
    public string Source { get; }

    /// <summary>Every layer this encoder can compute, in order.</summary>
    public IReadOnlyList<VggLayer> SupportedLayers { get; }

    /// <summary>The deepest layer this encoder can compute.</summary>
    public VggLayer DeepestLayer => SupportedLayers[^1];

    Vgg19Encoder(int convCount, bool leadingConv, Preprocessing preprocessing, VggOptions options, string source)
        : base(nameof(Vgg19Encoder))
    {
        Preprocessing = preprocessing;
        Options = options;
        Source = source;
        int padding = options.Padding == VggPadding.Zero ? 1 : 0;
        if (leadingConv)
        {
            _conv0 = nn.Conv2d(3, 3, 1);
            register_module("conv0", _conv0);
        }
        foreach (var conv in VggLayers.Convolutions.Take(convCount))
        {
            var module = nn.Conv2d(conv.InChannels, conv.OutChannels, 3, padding: padding);
            _convs[conv.Name] = module;
            register_module(conv.Name, module);
        }
        var lastConv = VggLayers.Convolutions.ElementAt(convCount - 1);
        // Layers after the last conv that need no weights (its ReLU, and a pool that follows) are supported too.
        var nextConv = VggLayers.Convolutions.Skip(convCount).FirstOrDefault();
        SupportedLayers = VggLayers.All.TakeWhile(l => nextConv is null || l.Index < nextConv.Index).ToList();
    }

    /// <summary>
    /// Builds an encoder from a state dict in any <see cref="VggWeightLayout"/>. Convolutions are taken
    /// in order until the first one the dict lacks; shapes are checked and a mismatch names the tensor.
    /// The encoder is frozen (a perceptual-loss network must be) unless <c>trainable</c> is set (CAST
    /// fine-tunes its encoder).
    /// </summary>
    public static Vgg19Encoder FromStateDict(IReadOnlyDictionary<string, Tensor> stateDict, Preprocessing preprocessing,
        VggOptions? options = null, string source = "state dict", VggWeightLayout? layout = null, bool trainable = false)
    {
        var actualLayout = layout ?? VggWeightNames.Detect(stateDict.Keys);
        var names = VggWeightNames.Prefixes(actualLayout);
        bool leading = names.TryGetValue("conv0", out var p0) && stateDict.ContainsKey(p0 + ".weight");
        int count = VggLayers.Convolutions.TakeWhile(c => stateDict.ContainsKey(names[c.Name] + ".weight")).Count();
        if (count == 0)
            throw new WeightFileException(source, $"no VGG-19 convolution found (looked for '{names["conv1_1"]}.weight', layout {actualLayout}).");

        var encoder = new Vgg19Encoder(count, leading, preprocessing, options ?? new VggOptions(), source);
        using (no_grad())
        {
            if (leading) Assign(encoder._conv0!, stateDict, p0!, source);
            foreach (var (name, conv) in encoder._convs) Assign(conv, stateDict, names[name], source);
        }
        if (!trainable) encoder.Freeze();
        return encoder;
    }

    /// <summary>
    /// Loads VGG-19 weights from a file. Preprocessing comes from the argument, else from the file's
    /// metadata (safetensors <c>preprocessing</c> entry), else from the layout (AdaIN's normalised VGG
    /// needs none; torchvision files need torchvision's).
    /// </summary>
    public static Vgg19Encoder Load(string path, VggOptions? options = null, Preprocessing? preprocessing = null, Device? device = null)
    {
        var stateDict = StateDictFile.Load(path, out var metadata);
        try
        {
            var layout = VggWeightNames.Detect(stateDict.Keys);
            preprocessing ??= metadata.TryGetValue("preprocessing", out var described)
                ? Preprocessing.FromName(described.Split(':', ' ', ',')[0])
                : layout == VggWeightLayout.AdaINNormalised ? Preprocessing.Identity : Preprocessing.Torchvision;
            var encoder = FromStateDict(stateDict, preprocessing, options, path, layout);
            if (device is not null) encoder.to(device);
            return encoder;
        }
        finally
        {
            foreach (var t in stateDict.Values) t.Dispose();
        }
    }

    /// <summary>A full-depth VGG-19 with random (Kaiming) weights: for timing and for tests.</summary>
    /// <param name="seed">Seeds the weights.</param>
    /// <param name="preprocessing">The input mapping the weights expect (torchvision's by default).</param>
    /// <param name="options">Pooling, padding, ceil mode.</param>
    /// <param name="device">Where the weights live.</param>
    /// <param name="trainable">Leave the weights trainable (see <see cref="FromStateDict"/>).</param>
    /// <param name="leadingConv">Include the normalised VGG's leading 1×1 conv (<c>conv0</c>).</param>
    /// <param name="depth">Keep only the convolutions up to this layer (e.g. <c>relu4_1</c>); all by default.</param>
    public static Vgg19Encoder Random(long seed = 0, Preprocessing? preprocessing = null, VggOptions? options = null, Device? device = null,
        bool trainable = false, bool leadingConv = false, string? depth = null)
    {
        // Seed a private stream: callers' global random state is left as it was.
        using var saved = torch.random.get_rng_state();
        torch.random.manual_seed(seed);
        int convs = depth is null ? VggLayers.Convolutions.Count() : VggLayers.Convolutions.Count(c => c.Index <= VggLayers.Get(depth).Index);
        var encoder = new Vgg19Encoder(convs, leadingConv, preprocessing ?? Preprocessing.Torchvision, options ?? new VggOptions(), "random");
        torch.random.set_rng_state(saved);
        if (!trainable) encoder.Freeze();
        if (device is not null) encoder.to(device);
        return encoder;
    }

    /// <summary>
    /// Encodes images [N,3,H,W] in [0,1] RGB and returns the requested layers' activations.
    /// Differentiable with respect to the image.
    /// </summary>
    public EncoderOutputs Encode(Tensor image, IEnumerable<string> layers)
    {
        if (image.dim() != 4 || image.shape[1] != 3)
            throw new ArgumentException($"Expected an image batch [N,3,H,W]; got [{string.Join(",", image.shape)}].", nameof(image));
        using var input = Preprocessing.Apply(image);
        return EncodeInput(input, layers);
    }

    /// <summary>Encodes an already preprocessed network input.</summary>
    public EncoderOutputs EncodeInput(Tensor input, IEnumerable<string> layers)
    {
        var wanted = layers.Distinct().Select(Require).ToList();
        if (wanted.Count == 0) return new EncoderOutputs([]);
        int deepest = wanted.Max(l => l.Index);
        var wantedNames = wanted.Select(l => l.Name).ToHashSet();

        var outputs = new Dictionary<string, Tensor>();
        using (var scope = NewDisposeScope())
        {
            var x = _conv0 is null ? input.alias() : _conv0.forward(input);
            foreach (var layer in VggLayers.All)
            {
                if (layer.Index > deepest) break;
                x = Step(layer, x);
                if (wantedNames.Contains(layer.Name)) outputs[layer.Name] = x.alias().MoveToOuterDisposeScope();
            }
        }
        return new EncoderOutputs(outputs);
    }

    /// <summary>Runs the layers after <paramref name="after"/> up to and including <paramref name="until"/>.</summary>
    public Tensor Forward(Tensor activation, string after, string until)
    {
        int from = VggLayers.Get(after).Index, to = Require(until).Index;
        using var scope = NewDisposeScope();
        var x = activation.alias();
        foreach (var layer in VggLayers.All.Where(l => l.Index > from && l.Index <= to)) x = Step(layer, x);
        return x.MoveToOuterDisposeScope();
    }

    Tensor Step(VggLayer layer, Tensor x) => layer.Kind switch
    {
        VggLayerKind.Conv => _convs[layer.Name].forward(
            Options.Padding == VggPadding.Reflection ? F.pad(x, [1, 1, 1, 1], PaddingModes.Reflect) : x),
        VggLayerKind.Relu => F.relu(x),
        _ => Options.Pooling == VggPooling.Max
            ? F.max_pool2d(x, [2, 2], [2, 2], ceil_mode: Options.CeilMode)
            : F.avg_pool2d(x, [2, 2], [2, 2], ceil_mode: Options.CeilMode),
    };

    /// <summary>The layer, or a clear error when these weights stop before it.</summary>
    public VggLayer Require(string name)
    {
        var layer = VggLayers.Get(name);
        if (layer.Index > DeepestLayer.Index)
            throw new ArgumentException(
                $"Layer '{name}' is deeper than these VGG-19 weights reach: {Source} supports conv1_1 … {DeepestLayer.Name}. " +
                "Use shallower layers (e.g. the relu3_x preset) or full VGG-19 weights (`stylelab weights fetch vgg19-caffe`).",
                nameof(name));
        return layer;
    }

    void Freeze()
    {
        foreach (var p in parameters()) p.requires_grad = false;
        eval();
    }

    static void Assign(Conv2d conv, IReadOnlyDictionary<string, Tensor> dict, string prefix, string source)
    {
        CopyInto(conv.weight!, dict, prefix + ".weight", source);
        CopyInto(conv.bias!, dict, prefix + ".bias", source);
    }

    static void CopyInto(Tensor target, IReadOnlyDictionary<string, Tensor> dict, string key, string source)
    {
        if (!dict.TryGetValue(key, out var value))
            throw new WeightFileException(source, $"tensor '{key}' is missing.");
        if (!value.shape.SequenceEqual(target.shape))
            throw new WeightFileException(source,
                $"tensor '{key}' has shape [{string.Join(",", value.shape)}] but VGG-19 expects [{string.Join(",", target.shape)}].");
        target.copy_(value.to(target.dtype));
    }
}
