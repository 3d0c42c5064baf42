using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// Turns a Lua Torch <c>nn</c> module tree into a state dict with the keys PyTorch's <c>nn.Sequential</c>
/// gives the same network: each module's position in its container (0-based), nested containers joined by
/// dots (<c>2.weight</c>, <c>5.1.0.bias</c>). That is how the official PyTorch ports were converted from
/// the Lua files (AdaIN's <c>vgg_normalised.pth</c> and <c>decoder.pth</c>, the WCT decoders
/// <c>feature_invertor_conv{k}_1.pth</c>), so StyleLab's loaders take a <c>.t7</c> file as they take those.
/// </summary>
public static class Torch7Modules
{
    /// <summary>Modules with no parameters: they only shape the computation, which StyleLab's own modules fix.</summary>
    static readonly HashSet<string> ParameterFree =
    [
        "nn.ReLU", "nn.Tanh", "nn.Sigmoid", "nn.LeakyReLU", "nn.Identity", "nn.Dropout", "nn.SpatialDropout",
        "nn.SpatialReflectionPadding", "nn.SpatialReplicationPadding", "nn.SpatialZeroPadding",
        "nn.SpatialMaxPooling", "nn.SpatialAveragePooling", "nn.SpatialUpSamplingNearest",
        "nn.SpatialUpSamplingBilinear", "nn.MulConstant", "nn.AddConstant", "nn.TotalVariation",
        "nn.CAddTable", "nn.ShaveImage", "nn.View", "nn.Reshape",
        "cudnn.ReLU", "cudnn.Tanh", "cudnn.SpatialMaxPooling", "cudnn.SpatialAveragePooling",
    ];

    static readonly HashSet<string> Containers = ["nn.Sequential", "nn.ConcatTable", "nn.Concat", "nn.ParallelTable"];

    /// <summary>
    /// The state dict of a file's module tree. The root may be the module or a table holding it under
    /// <c>model</c> (fast-neural-style's checkpoints).
    /// </summary>
    /// <exception cref="WeightFileException">The root is no module container, or a module is unsupported or malformed.</exception>
    public static Dictionary<string, Tensor> StateDict(object? root, string file)
    {
        if (root is Torch7Table { } table && table["model"] is Torch7Object model) root = model;
        if (root is not Torch7Object { } container || !Containers.Contains(StripCuda(container.ClassName)))
            throw new WeightFileException(file,
                $"holds {(root is Torch7Object o ? $"a '{o.ClassName}'" : "no nn module")}, not an nn.Sequential of modules StyleLab can map.");
        var stateDict = new Dictionary<string, Tensor>();
        try
        {
            Collect(container, "", stateDict, file);
        }
        catch
        {
            foreach (var t in stateDict.Values) t.Dispose();
            throw;
        }
        return stateDict;
    }

    /// <summary>Reads a <c>.t7</c> file and returns its module tree's state dict.</summary>
    public static Dictionary<string, Tensor> Load(string path, Torch7Options? options = null) =>
        StateDict(Torch7Reader.Load(path, options), path);

    /// <summary>The modules of a container, in order.</summary>
    public static IReadOnlyList<Torch7Object> Children(Torch7Object container, string file)
    {
        if (container["modules"] is not Torch7Table modules) return [];
        var children = new List<Torch7Object>();
        foreach (var child in modules.Sequence)
            children.Add(child as Torch7Object
                ?? throw new WeightFileException(file, $"'{container.ClassName}' holds a {child?.GetType().Name ?? "nil"} among its modules."));
        return children;
    }

    static void Collect(Torch7Object module, string prefix, Dictionary<string, Tensor> into, string file)
    {
        string name = StripCuda(module.ClassName);
        string where = prefix.Length == 0 ? "the root" : $"position {prefix.TrimEnd('.')}";
        if (Containers.Contains(name))
        {
            var children = Children(module, file);
            for (int i = 0; i < children.Count; i++) Collect(children[i], $"{prefix}{i}.", into, file);
            return;
        }
        if (ParameterFree.Contains(name)) return;
        switch (name)
        {
            case "nn.SpatialConvolution" or "nn.SpatialConvolutionMM":
            {
                // SpatialConvolutionMM (and older SpatialConvolution) keep the weight as [out, in·kH·kW].
                long[] shape = [Size(module, "nOutputPlane", file, where), Size(module, "nInputPlane", file, where),
                    Size(module, "kH", file, where), Size(module, "kW", file, where)];
                into[prefix + "weight"] = Parameter(module, "weight", file, where, shape);
                if (module["bias"] is Torch7Tensor) into[prefix + "bias"] = Parameter(module, "bias", file, where, [shape[0]]);
                break;
            }
            case "nn.SpatialFullConvolution":
            {
                long[] shape = [Size(module, "nInputPlane", file, where), Size(module, "nOutputPlane", file, where),
                    Size(module, "kH", file, where), Size(module, "kW", file, where)];
                into[prefix + "weight"] = Parameter(module, "weight", file, where, shape);
                if (module["bias"] is Torch7Tensor) into[prefix + "bias"] = Parameter(module, "bias", file, where, [shape[1]]);
                break;
            }
            case "nn.SpatialBatchNormalization" or "nn.BatchNormalization" or "nn.InstanceNormalization":
                Normalisation(module, prefix, into, file, where);
                break;
            default:
                throw new WeightFileException(file, $"module '{module.ClassName}' at {where} is not one StyleLab maps onto its own modules.");
        }
    }

    static void Normalisation(Torch7Object module, string prefix, Dictionary<string, Tensor> into, string file, string where)
    {
        // fast-neural-style's InstanceNormalization: weight and bias of nOutput channels (affine instance norm).
        // Batch norm adds running statistics; files from before torch/nn#520 keep running_std = 1/sqrt(var + eps).
        if (module["weight"] is Torch7Tensor) into[prefix + "weight"] = Parameter(module, "weight", file, where, null);
        if (module["bias"] is Torch7Tensor) into[prefix + "bias"] = Parameter(module, "bias", file, where, null);
        if (module.ClassName.EndsWith("InstanceNormalization", StringComparison.Ordinal)) return;
        if (module["running_mean"] is Torch7Tensor) into[prefix + "running_mean"] = Parameter(module, "running_mean", file, where, null);
        if (module["running_var"] is Torch7Tensor) into[prefix + "running_var"] = Parameter(module, "running_var", file, where, null);
        else if (module["running_std"] is Torch7Tensor)
        {
            double eps = module["eps"] as double? ?? 1e-5;
            using var std = Parameter(module, "running_std", file, where, null);
            into[prefix + "running_var"] = std.pow(-2).sub_(eps);
        }
    }

    /// <summary>A batch norm's channel count: the length of its running mean (or of its weight, when it has no statistics).</summary>
    internal static long Channels(Torch7Object module, string file, string where) =>
        (module["running_mean"] ?? module["weight"]) is Torch7Tensor { Sizes.Count: 1 } t ? t.Sizes[0]
            : throw new WeightFileException(file, $"'{module.ClassName}' at {where} has no running_mean to tell its channel count.");

    static Tensor Parameter(Torch7Object module, string field, string file, string where, long[]? shape)
    {
        if (module[field] is not Torch7Tensor t)
            throw new WeightFileException(file, $"'{module.ClassName}' at {where} has no tensor '{field}'.");
        long count = shape?.Aggregate(1L, (a, b) => a * b) ?? t.ElementCount;
        if (t.ElementCount != count)
            throw new WeightFileException(file,
                $"'{module.ClassName}' at {where}: '{field}' has {t.ElementCount} elements [{string.Join(",", t.Sizes)}]; its sizes say [{string.Join(",", shape!)}].");
        var tensor = t.ToTensor();
        if (shape is null) return tensor;
        using (tensor) return tensor.reshape(shape).clone();
    }

    static long Size(Torch7Object module, string field, string file, string where) =>
        module[field] is double d && d >= 1 && d <= 1 << 20 && d == Math.Floor(d) ? (long)d
            : throw new WeightFileException(file, $"'{module.ClassName}' at {where} has no valid '{field}'.");

    /// <summary>cudnn's modules hold the same fields as nn's.</summary>
    static string StripCuda(string className) =>
        className.StartsWith("cudnn.", StringComparison.Ordinal) ? "nn." + className[6..] : className;
}
