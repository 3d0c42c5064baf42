using StyleLab.Tests.Weights.Torch7;
using static TorchSharp.torch;

namespace StyleLab.Tests.FeedForward;

/// <summary>
/// jcjohnson/fast-neural-style's checkpoints as its Lua code builds and saves them, for <see cref="Torch7Writer"/>:
/// <c>models.lua</c> <c>build_model</c> with padding type "reflect-start" (the default), the
/// <c>nn.SpatialReflectionPadding</c> that <c>train.lua</c> inserts at position 1, and the checkpoint table
/// <c>{model = …, opt = {…}}</c> that <c>train.lua</c> writes with <c>torch.save</c>. Module fields are those the
/// Lua constructors set. The weights come from a state dict under PyTorch <c>nn.Sequential</c> keys, so a wrong
/// position here is a missing key there.
/// </summary>
public static class FastNeuralStyleTree
{
    /// <summary>A checkpoint table for <paramref name="arch"/> (models.lua's syntax) with the given weights.</summary>
    public static LuaTable Checkpoint(string arch, bool instanceNorm, IReadOnlyDictionary<string, Tensor> weights,
        double tanhConstant = 150, string preprocessing = "vgg", bool cudnn = false)
    {
        var opt = new LuaTable()
            .Add("arch", arch).Add("use_instance_norm", instanceNorm ? 1.0 : 0.0).Add("padding_type", "reflect-start")
            .Add("tanh_constant", tanhConstant).Add("preprocessing", preprocessing).Add("tv_strength", 1e-6);
        return new LuaTable().Add("opt", opt).Add("model", Model(arch, instanceNorm, weights, tanhConstant, cudnn));
    }

    /// <summary>The model alone (what scripts/convert_network.lua saves).</summary>
    public static LuaObject Model(string arch, bool instanceNorm, IReadOnlyDictionary<string, Tensor> weights, double tanhConstant = 150, bool cudnn = false)
    {
        var layers = arch.Split(',');
        int residualBlocks = layers.Count(l => l[0] == 'R');
        var modules = new List<LuaObject> { Padding(residualBlocks * 2 * 4) };   // 2 px per block at ¼ resolution
        string Key(int position) => position.ToString();
        long previous = 3;
        for (int i = 0; i < layers.Length; i++)
        {
            string v = layers[i];
            bool needsRelu = true, needsNorm = true;
            long next;
            string at = Key(modules.Count);
            switch (v[0])
            {
                case 'c':
                {
                    int f = v[1] - '0', s = v[3] - '0';
                    next = long.Parse(v[5..]);
                    modules.Add(Convolution(weights, at, f, s, (f - 1) / 2, cudnn));
                    break;
                }
                case 'd':
                    next = long.Parse(v[1..]);
                    modules.Add(Convolution(weights, at, 3, 2, 1, cudnn));
                    break;
                case 'u':
                    next = long.Parse(v[1..]);
                    modules.Add(FullConvolution(weights, at));
                    break;
                case 'R':
                    next = long.Parse(v[1..]);
                    modules.Add(ResidualBlock(weights, at, instanceNorm, cudnn));
                    needsNorm = needsRelu = false;
                    break;
                default: throw new ArgumentException($"arch element '{v}' is not written by this helper");
            }
            if (i == layers.Length - 1) needsNorm = needsRelu = false;
            if (needsNorm) modules.Add(Norm(weights, Key(modules.Count), instanceNorm, cudnn));
            if (needsRelu) modules.Add(ReLU(cudnn));
            previous = next;
        }
        _ = previous;
        modules.Add(Module("nn.Tanh"));
        modules.Add(Module("nn.MulConstant", ("constant_scalar", tanhConstant), ("inplace", false)));
        modules.Add(Module("nn.TotalVariation", ("strength", 1e-6), ("x_diff", empty(0)), ("y_diff", empty(0))));
        return NnTree.Sequential(modules);
    }

    /// <summary>build_res_block: Sequential{ ConcatTable{ conv block, ShaveImage(2) }, CAddTable }.</summary>
    static LuaObject ResidualBlock(IReadOnlyDictionary<string, Tensor> w, string at, bool instanceNorm, bool cudnn)
    {
        string block = $"{at}.0.0";
        var convBlock = NnTree.Sequential([
            Convolution(w, $"{block}.0", 3, 1, 0, cudnn), Norm(w, $"{block}.1", instanceNorm, cudnn), ReLU(cudnn),
            Convolution(w, $"{block}.3", 3, 1, 0, cudnn), Norm(w, $"{block}.4", instanceNorm, cudnn),
        ]);
        return NnTree.Sequential([NnTree.ConcatTable(convBlock, Module("nn.ShaveImage", ("size", 2.0))), NnTree.CAddTable()]);
    }

    static LuaObject Convolution(IReadOnlyDictionary<string, Tensor> w, string key, int kernel, int stride, int pad, bool cudnn)
    {
        var weight = w[key + ".weight"];
        return Module(cudnn ? "cudnn.SpatialConvolution" : "nn.SpatialConvolution",
            ("nInputPlane", (double)weight.shape[1]), ("nOutputPlane", (double)weight.shape[0]),
            ("kW", (double)kernel), ("kH", (double)kernel), ("dW", (double)stride), ("dH", (double)stride),
            ("padW", (double)pad), ("padH", (double)pad), ("weight", weight), ("bias", w[key + ".bias"]),
            ("gradWeight", empty(0)), ("gradBias", empty(0)));
    }

    /// <summary>nn.SpatialFullConvolution(in, out, 3, 3, 2, 2, 1, 1, 1, 1): the learned ×2 up-sampling ('u').</summary>
    static LuaObject FullConvolution(IReadOnlyDictionary<string, Tensor> w, string key)
    {
        var weight = w[key + ".weight"];
        return Module("nn.SpatialFullConvolution",
            ("nInputPlane", (double)weight.shape[0]), ("nOutputPlane", (double)weight.shape[1]),
            ("kW", 3.0), ("kH", 3.0), ("dW", 2.0), ("dH", 2.0), ("padW", 1.0), ("padH", 1.0), ("adjW", 1.0), ("adjH", 1.0),
            ("weight", weight), ("bias", w[key + ".bias"]));
    }

    static LuaObject Norm(IReadOnlyDictionary<string, Tensor> w, string key, bool instanceNorm, bool cudnn)
    {
        var weight = w[key + ".weight"];
        return instanceNorm
            // After training, the module keeps the batch norm its forward built for the last batch (N = 4 here):
            // data the loader must ignore, since a run's batch norm comes from weight and bias per call.
            ? Module("nn.InstanceNormalization", ("eps", 1e-5), ("nOutput", (double)weight.shape[0]), ("prev_N", 4.0),
                ("weight", weight), ("bias", w[key + ".bias"]),
                ("bn", Module("nn.SpatialBatchNormalization", ("eps", 1e-5), ("momentum", 0.1), ("affine", true),
                    ("weight", weight.repeat(4)), ("bias", w[key + ".bias"].repeat(4)),
                    ("running_mean", zeros(4 * weight.shape[0])), ("running_var", ones(4 * weight.shape[0])))))
            : Module(cudnn ? "cudnn.SpatialBatchNormalization" : "nn.SpatialBatchNormalization",
                ("eps", 1e-5), ("momentum", 0.1), ("affine", true),
                ("weight", weight), ("bias", w[key + ".bias"]),
                ("running_mean", w[key + ".running_mean"]), ("running_var", w[key + ".running_var"]));
    }

    static LuaObject Padding(int p) => Module("nn.SpatialReflectionPadding",
        ("pad_l", (double)p), ("pad_r", (double)p), ("pad_t", (double)p), ("pad_b", (double)p));

    static LuaObject ReLU(bool cudnn) => cudnn
        ? Module("cudnn.ReLU", ("inplace", true))
        : Module("nn.ReLU", ("inplace", true), ("threshold", 0.0), ("val", 0.0));

    static LuaObject Module(string className, params (string, object?)[] fields) => NnTree.Module(className, fields);
}
