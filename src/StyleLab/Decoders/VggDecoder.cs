using StyleLab.Encoders;
using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Decoders;

/// <summary>
/// The decoder that mirrors VGG-19 from a ReLU layer back to the image, as AdaIN's (and SANet's, and
/// WCT's per-level decoders): each convolution in reverse order with its channels swapped, reflection
/// padding, ReLU after every convolution but the last, and nearest ×2 up-sampling where the encoder
/// pooled. No normalisation layers.
/// </summary>
/// <remarks>
/// The modules form one <c>nn.Sequential</c> in the official order (pad, conv, ReLU, …, upsample, …), so
/// the state dict's keys are those of naoto0804/pytorch-AdaIN's <c>decoder.pth</c> (<c>0</c> pad,
/// <c>1.weight</c> conv, <c>2</c> ReLU, <c>3</c> upsample, …) for any depth: the official file loads unchanged.
/// <see cref="Load"/> also reads the key layouts of the converted official WCT decoders
/// (<see cref="VggDecoderLayout"/>), detected from the keys.
/// </remarks>
public sealed class VggDecoder : nn.Module<Tensor, Tensor>
{
    readonly List<nn.Module<Tensor, Tensor>> _layers = new();

    /// <summary>The encoder layer whose features this decoder inverts (e.g. <c>relu4_1</c>).</summary>
    public string FromLayer { get; }

    /// <summary>The convolutions, from the deepest to the one producing RGB: the encoder's, reversed.</summary>
    public IReadOnlyList<VggLayer> MirroredConvolutions { get; }

    /// <summary>A decoder for the features of <paramref name="fromLayer"/> (a ReLU layer), with PyTorch's default initialisation.</summary>
    public VggDecoder(string fromLayer = "relu4_1") : base(nameof(VggDecoder))
    {
        var top = VggLayers.Get(fromLayer);
        if (top.Kind != VggLayerKind.Relu)
            throw new ArgumentException($"A VGG decoder starts from a ReLU layer (relu1_1 … relu5_4); got '{fromLayer}'.", nameof(fromLayer));
        FromLayer = fromLayer;
        var encoder = VggLayers.All.Where(l => l.Index <= top.Index).Reverse().ToList();
        MirroredConvolutions = encoder.Where(l => l.Kind == VggLayerKind.Conv).ToList();
        var modules = _layers;
        foreach (var layer in encoder)
        {
            if (layer.Kind == VggLayerKind.Pool)
                modules.Add(nn.Upsample(scale_factor: [2, 2], mode: UpsampleMode.Nearest));
            else if (layer.Kind == VggLayerKind.Conv)
            {
                modules.Add(nn.ReflectionPad2d(1));
                modules.Add(nn.Conv2d(layer.OutChannels, layer.InChannels, 3));
                if (layer.Name != "conv1_1") modules.Add(nn.ReLU());
            }
        }
        // Registered by position, as PyTorch's nn.Sequential names them, so the keys are the official ones.
        for (int i = 0; i < modules.Count; i++) register_module($"{i}", modules[i]);
    }

    /// <summary>Decodes features [N,C,H,W] of <see cref="FromLayer"/> into images [N,3,H·s,W·s] (RGB, about [0,1]).</summary>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = features;
        foreach (var layer in _layers) x = layer.forward(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Loads a decoder from a state-dict file (<c>.pth</c>, <c>.safetensors</c>) in the official sequential
    /// layout or one of the converted WCT layouts (<paramref name="layout"/>; detected from the keys when
    /// null). The depth is read from the file: its number of convolutions fixes the layer it starts from;
    /// every tensor's shape is checked.
    /// </summary>
    /// <exception cref="WeightFileException">The file is unreadable or is not a VGG decoder.</exception>
    public static VggDecoder Load(string path, Device? device = null, VggDecoderLayout? layout = null)
    {
        var stateDict = StateDictFile.Load(path, out _);
        try
        {
            var decoder = FromStateDict(stateDict, path, layout);
            if (device is not null) decoder.to(device);
            return decoder;
        }
        finally
        {
            foreach (var t in stateDict.Values) t.Dispose();
        }
    }

    /// <summary>Builds a decoder from a state dict in a <see cref="VggDecoderLayout"/> (see <see cref="Load"/>).</summary>
    public static VggDecoder FromStateDict(IReadOnlyDictionary<string, Tensor> stateDict, string source = "state dict",
        VggDecoderLayout? layout = null)
    {
        int convs = stateDict.Keys.Count(k => k.EndsWith(".weight", StringComparison.Ordinal) && stateDict[k].dim() == 4);
        var conv = VggLayers.Convolutions.ElementAtOrDefault(convs - 1)
            ?? throw new WeightFileException(source, $"holds {convs} convolution weights; a VGG-19 decoder has 1 to 16.");
        var decoder = new VggDecoder(VggLayers.All[conv.Index + 1].Name);
        var actualLayout = layout ?? VggDecoderWeightNames.Detect(stateDict.Keys);
        var prefixes = VggDecoderWeightNames.Prefixes(decoder.MirroredConvolutions, actualLayout);
        string External(string key)
        {
            int dot = key.IndexOf('.');
            return prefixes[key[..dot]] + key[dot..];
        }
        var own = decoder.state_dict();
        var missing = own.Keys.Select(External).Where(k => !stateDict.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new WeightFileException(source,
                $"is not a VGG decoder from {decoder.FromLayer} in the {actualLayout} layout: missing {string.Join(", ", missing.Take(4))}.");
        using (no_grad())
        {
            foreach (var (ownKey, target) in own)
            {
                var key = External(ownKey);
                var value = stateDict[key];
                if (!value.shape.SequenceEqual(target.shape))
                    throw new WeightFileException(source,
                        $"tensor '{key}' has shape [{string.Join(",", value.shape)}]; a decoder from {decoder.FromLayer} needs [{string.Join(",", target.shape)}].");
                target.copy_(value);
            }
        }
        return decoder;
    }
}
