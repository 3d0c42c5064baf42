using StyleLab.Decoders;
using StyleLab.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Weights.Torch7;

/// <summary>
/// Lua Torch <c>nn</c> module trees, as the official projects built them (fields as torch/nn writes them),
/// for <see cref="Torch7Writer"/>: the AdaIN/WCT normalised VGG and decoders, residual blocks.
/// </summary>
public static class NnTree
{
    static LuaObject Module(string className, params (string Key, object? Value)[] fields)
    {
        var table = new LuaTable().Add("train", false);
        foreach (var (k, v) in fields) table.Add(k, v);
        return new LuaObject(className, table);
    }

    public static LuaObject Sequential(IEnumerable<LuaObject> modules) =>
        Module("nn.Sequential", ("modules", LuaTable.List(modules)));

    public static LuaObject ConcatTable(params LuaObject[] modules) =>
        Module("nn.ConcatTable", ("modules", LuaTable.List(modules)));

    /// <summary>An nn.SpatialConvolution holding <paramref name="weight"/> [out,in,kH,kW] (flattened to [out, in·kH·kW] for the MM variant).</summary>
    public static LuaObject Convolution(Tensor weight, Tensor bias, int pad = 0, bool mm = false)
    {
        long o = weight.shape[0], i = weight.shape[1], kh = weight.shape[2], kw = weight.shape[3];
        return Module(mm ? "nn.SpatialConvolutionMM" : "nn.SpatialConvolution",
            ("nInputPlane", (double)i), ("nOutputPlane", (double)o), ("kW", (double)kw), ("kH", (double)kh),
            ("dW", 1.0), ("dH", 1.0), ("padW", (double)pad), ("padH", (double)pad),
            ("weight", mm ? weight.reshape(o, i * kh * kw) : weight), ("bias", bias));
    }

    public static LuaObject ReflectionPadding(int p) =>
        Module("nn.SpatialReflectionPadding", ("pad_l", (double)p), ("pad_r", (double)p), ("pad_t", (double)p), ("pad_b", (double)p));

    public static LuaObject ReLU() => Module("nn.ReLU", ("inplace", false), ("threshold", 0.0), ("val", 0.0));

    public static LuaObject MaxPooling() =>
        Module("nn.SpatialMaxPooling", ("kW", 2.0), ("kH", 2.0), ("dW", 2.0), ("dH", 2.0), ("padW", 0.0), ("padH", 0.0), ("ceil_mode", true));

    public static LuaObject UpSamplingNearest() => Module("nn.SpatialUpSamplingNearest", ("scale_factor", 2.0));

    public static LuaObject CAddTable() => Module("nn.CAddTable", ("inplace", false));

    public static LuaObject Identity() => Module("nn.Identity");

    public static LuaObject Module(string className, IEnumerable<(string, object?)> fields) => Module(className, fields.ToArray());

    /// <summary>
    /// The normalised VGG-19 of AdaIN-style's <c>vgg_normalised.t7</c> and WCT's <c>vgg_normalised_conv{k}_1.t7</c>:
    /// the 1×1 conv, then pad, conv, ReLU for each 3×3 conv and a max pool between blocks, up to the encoder's depth.
    /// </summary>
    public static LuaObject NormalisedVgg(Vgg19Encoder encoder)
    {
        var state = encoder.state_dict();
        var modules = new List<LuaObject> { Convolution(state["conv0.weight"], state["conv0.bias"]) };
        foreach (var layer in VggLayers.All.Where(l => l.Index <= encoder.DeepestLayer.Index))
            modules.AddRange(layer.Kind switch
            {
                VggLayerKind.Conv => [ReflectionPadding(1), Convolution(state[$"{layer.Name}.weight"], state[$"{layer.Name}.bias"])],
                VggLayerKind.Relu => [ReLU()],
                _ => [MaxPooling()],
            });
        return Sequential(modules);
    }

    /// <summary>
    /// A VGG decoder as AdaIN-style's <c>decoder.t7</c> and WCT's <c>feature_invertor_conv{k}_1.t7</c> build it:
    /// pad, conv, ReLU per convolution (none after the last), nearest ×2 up-sampling where the encoder pooled.
    /// </summary>
    public static LuaObject Decoder(VggDecoder decoder)
    {
        var state = decoder.state_dict();
        var top = VggLayers.Get(decoder.FromLayer);
        var modules = new List<LuaObject>();
        foreach (var layer in VggLayers.All.Where(l => l.Index <= top.Index).Reverse())
        {
            if (layer.Kind == VggLayerKind.Pool) modules.Add(UpSamplingNearest());
            else if (layer.Kind == VggLayerKind.Conv)
            {
                modules.Add(ReflectionPadding(1));
                int position = modules.Count;
                modules.Add(Convolution(state[$"{position}.weight"], state[$"{position}.bias"]));
                if (layer.Name != "conv1_1") modules.Add(ReLU());
            }
        }
        return Sequential(modules);
    }

    public static string Save(LuaObject tree, string path)
    {
        File.WriteAllBytes(path, Torch7Writer.Serialise(tree));
        return path;
    }
}
