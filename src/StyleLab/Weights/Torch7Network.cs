using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// Runs a Lua Torch <c>nn</c> module tree as it was saved: each module becomes the TorchSharp module that computes
/// what its Lua <c>updateOutput</c> does in evaluation mode (<c>model:evaluate()</c>), with the file's weights.
/// For networks whose structure lives in the file rather than in code of ours — fast-neural-style's
/// checkpoints come in several architectures (<c>-arch</c>, padding type, instance or batch norm), each saved as
/// its module tree. Children are named by their 0-based position, so the parameters have exactly the keys
/// <see cref="Torch7Modules.StateDict"/> gives them.
/// </summary>
public static class Torch7Network
{
    /// <summary>The network of a module tree (the root a container, or a table holding it under <c>model</c>).</summary>
    /// <exception cref="WeightFileException">A module StyleLab cannot run, or fields that do not fit it.</exception>
    public static nn.Module<Tensor, Tensor> Build(object? root, string file)
    {
        using var weights = new DisposableDictionary(Torch7Modules.StateDict(root, file));
        NonFiniteValues.ThrowIfAny(weights.Tensors, file);
        if (root is Torch7Table { } table && table["model"] is Torch7Object model) root = model;
        var network = Module((Torch7Object)root!, "", file);
        try
        {
            Copy(network, weights.Tensors, file);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        network.eval();
        return network;
    }

    static nn.Module<Tensor, Tensor> Module(Torch7Object module, string prefix, string file)
    {
        string name = module.ClassName.StartsWith("cudnn.", StringComparison.Ordinal) ? "nn." + module.ClassName[6..] : module.ClassName;
        string where = prefix.Length == 0 ? "the root" : $"position {prefix.TrimEnd('.')}";
        double Field(string field, double? fallback = null) => module[field] as double? ?? fallback
            ?? throw new WeightFileException(file, $"'{module.ClassName}' at {where} has no number '{field}'.");
        long Int(string field, long? fallback = null)
        {
            double d = Field(field, fallback);
            return d == Math.Floor(d) && Math.Abs(d) <= 1 << 20 ? (long)d
                : throw new WeightFileException(file, $"'{module.ClassName}' at {where} has '{field}' = {d}, not a size.");
        }
        switch (name)
        {
            case "nn.Sequential":
                return Sequential(module, prefix, file);
            case "nn.SpatialConvolution" or "nn.SpatialConvolutionMM":
                return nn.Conv2d(Int("nInputPlane"), Int("nOutputPlane"), (Int("kH"), Int("kW")),
                    stride: (Int("dH", 1), Int("dW", 1)), padding: (Int("padH", 0), Int("padW", 0)), bias: module["bias"] is Torch7Tensor);
            case "nn.SpatialFullConvolution":
                return nn.ConvTranspose2d(Int("nInputPlane"), Int("nOutputPlane"), (Int("kH"), Int("kW")),
                    stride: (Int("dH", 1), Int("dW", 1)), padding: (Int("padH", 0), Int("padW", 0)),
                    output_padding: (Int("adjH", 0), Int("adjW", 0)), bias: module["bias"] is Torch7Tensor);
            case "nn.InstanceNormalization":
                // fast-neural-style's own module: a batch norm in training mode over a [1, N·C, H, W] view, i.e.
                // per image and channel, with the biased variance; its weight and bias are γ and β per channel.
                return nn.InstanceNorm2d(Int("nOutput"), eps: Field("eps", 1e-5), affine: true);
            case "nn.SpatialBatchNormalization":
                // Evaluation mode: the running statistics (Torch7Modules turns an old file's running_std into a variance).
                return nn.BatchNorm2d(Torch7Modules.Channels(module, file, where), eps: Field("eps", 1e-5), affine: module["weight"] is Torch7Tensor);
            case "nn.ReLU":
                if (Field("threshold", 0) != 0 || Field("val", 0) != 0)
                    throw new WeightFileException(file, $"'{module.ClassName}' at {where} is a thresholded ReLU (threshold {Field("threshold")}), which StyleLab does not run.");
                return nn.ReLU();
            case "nn.Tanh": return nn.Tanh();
            case "nn.Sigmoid": return nn.Sigmoid();
            // nn.TotalVariation is the identity forward (its TV loss acts on the gradient only); dropout is off in evaluation.
            case "nn.Identity" or "nn.TotalVariation" or "nn.Dropout" or "nn.SpatialDropout": return nn.Identity();
            case "nn.MulConstant": return new Torch7Layers.MulConstant(Field("constant_scalar"));
            case "nn.AddConstant": return new Torch7Layers.AddConstant(Field("constant_scalar"));
            case "nn.ShaveImage": return new Torch7Layers.ShaveImage(Int("size"));
            case "nn.SpatialReflectionPadding" or "nn.SpatialReplicationPadding" or "nn.SpatialZeroPadding":
            {
                long l = Int("pad_l"), r = Int("pad_r"), t = Int("pad_t"), b = Int("pad_b");
                if (Math.Min(Math.Min(l, r), Math.Min(t, b)) < 0)
                    throw new WeightFileException(file, $"'{module.ClassName}' at {where} has a negative pad (a crop), which StyleLab does not run.");
                var mode = name switch
                {
                    "nn.SpatialReflectionPadding" => PaddingModes.Reflect,
                    "nn.SpatialReplicationPadding" => PaddingModes.Replicate,
                    _ => PaddingModes.Constant,
                };
                return new Torch7Layers.Padding(l, r, t, b, mode);
            }
            case "nn.SpatialMaxPooling":
                return nn.MaxPool2d((Int("kH"), Int("kW")), (Int("dH"), Int("dW")), (Int("padH", 0), Int("padW", 0)),
                    ceil_mode: module["ceil_mode"] is true);
            case "nn.SpatialUpSamplingNearest":
            {
                double scale = Int("scale_factor");
                return nn.Upsample(scale_factor: [scale, scale], mode: UpsampleMode.Nearest);
            }
            default:
                throw new WeightFileException(file, $"module '{module.ClassName}' at {where} is not one StyleLab can run.");
        }
    }

    /// <summary>
    /// The children in order; an <c>nn.ConcatTable</c> must be followed by <c>nn.CAddTable</c> (a residual block), which
    /// becomes a <see cref="Torch7Layers.BranchSum"/> with an identity in the table's place, keeping the positions.
    /// </summary>
    static Sequential Sequential(Torch7Object module, string prefix, string file)
    {
        var children = Torch7Modules.Children(module, file);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < children.Count; i++)
        {
            string name = children[i].ClassName, position = $"{prefix}{i}";
            if (name == "nn.ConcatTable")
            {
                if (i + 1 == children.Count || children[i + 1].ClassName != "nn.CAddTable")
                    throw new WeightFileException(file, $"the nn.ConcatTable at position {position} is not followed by an nn.CAddTable; StyleLab runs only residual sums.");
                var branches = Torch7Modules.Children(children[i], file)
                    .Select((branch, j) => Module(branch, $"{position}.{j}.", file)).ToList();
                if (branches.Count == 0) throw new WeightFileException(file, $"the nn.ConcatTable at position {position} has no modules.");
                layers.Add((i.ToString(), new Torch7Layers.BranchSum(branches)));
                layers.Add(((i + 1).ToString(), nn.Identity()));
                i++;
            }
            else if (name == "nn.CAddTable")
                throw new WeightFileException(file, $"the nn.CAddTable at position {position} follows no nn.ConcatTable.");
            else layers.Add((i.ToString(), Module(children[i], position + ".", file)));
        }
        return nn.Sequential(layers);
    }

    /// <summary>Every tensor of the file into the network, and every parameter and statistic of the network from the file.</summary>
    static void Copy(nn.Module network, IReadOnlyDictionary<string, Tensor> weights, string file)
    {
        // TorchSharp's batch norm counts batches (num_batches_tracked); Lua's does not, and evaluation does not use it.
        var own = network.state_dict().Where(p => !p.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToDictionary();
        var unused = weights.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (unused.Count > 0)
            throw new WeightFileException(file, $"holds tensors the network built from its modules has no place for: {string.Join(", ", unused.Take(4))}.");
        using var _ = no_grad();
        foreach (var (key, target) in own)
        {
            if (!weights.TryGetValue(key, out var value))
                throw new WeightFileException(file, $"has no tensor for '{key}'.");
            if (!value.shape.SequenceEqual(target.shape))
                throw new WeightFileException(file, $"tensor '{key}' has shape [{string.Join(",", value.shape)}]; its module needs [{string.Join(",", target.shape)}].");
            target.copy_(value);
        }
    }

    sealed class DisposableDictionary(Dictionary<string, Tensor> tensors) : IDisposable
    {
        public Dictionary<string, Tensor> Tensors { get; } = tensors;
        public void Dispose() { foreach (var t in Tensors.Values) t.Dispose(); }
    }
}
