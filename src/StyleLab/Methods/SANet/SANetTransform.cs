using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.SANet;

/// <summary>
/// SANet's transform (the official <c>Transform</c>): a SANet at each of two layers, the deeper output
/// up-sampled ×2 (nearest) and added to the shallower, then a reflection-padded 3×3 convolution:
/// <c>F_m = conv3×3(F_csc(relu4_1) + up×2(F_csc(relu5_1)))</c>.
/// </summary>
/// <remarks>Keys as in the official <c>transformer_iter_*.pth</c>: <c>sanet4_1.*</c>, <c>sanet5_1.*</c>, <c>merge_conv.*</c>.</remarks>
public sealed class SANetTransform : nn.Module
{
    readonly SANetModule sanet4_1, sanet5_1;
    readonly Conv2d merge_conv;

    /// <summary>The layers the two SANets attend at.</summary>
    public SANetLayers Layers { get; }

    /// <summary>The SANet at the shallow layer (<c>sanet4_1</c>).</summary>
    public SANetModule ShallowNet => sanet4_1;

    /// <summary>The SANet at the deep layer (<c>sanet5_1</c>).</summary>
    public SANetModule DeepNet => sanet5_1;

    /// <summary>Feature channels of both levels (the official <c>in_planes</c>).</summary>
    public int Channels { get; }

    /// <summary>
    /// A transform for <paramref name="layers"/> (default the paper's), PyTorch's default initialisation.
    /// <paramref name="channels"/> defaults to the layers' width; another width makes a module for tests and
    /// experiments on features of that width (a model checks that its encoder's layers fit).
    /// </summary>
    public SANetTransform(SANetLayers? layers = null, int? channels = null) : base(nameof(SANetTransform))
    {
        Layers = layers ?? SANetLayers.Paper;
        Channels = channels ?? Layers.Channels;
        sanet4_1 = new SANetModule(Channels);
        sanet5_1 = new SANetModule(Channels);
        merge_conv = nn.Conv2d(Channels, Channels, 3);
        RegisterComponents();
    }

    /// <summary>The merged features [N,C,Hc,Wc] of the content and style features at both layers.</summary>
    public Tensor Forward(Tensor contentShallow, Tensor styleShallow, Tensor contentDeep, Tensor styleDeep, SANetLevels levels = SANetLevels.Both)
    {
        using var scope = NewDisposeScope();
        var shallow = levels == SANetLevels.Deep ? null : sanet4_1.forward(contentShallow, styleShallow);
        var deep = levels == SANetLevels.Shallow ? null : sanet5_1.forward(contentDeep, styleDeep);
        return Merge(shallow, deep, contentShallow).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The merge of the two levels' F_csc (either may be null: that level is left out). The deep map is
    /// up-sampled ×2 and, where ceil-mode pooling made it one row or column larger (odd sizes, on which
    /// the official code fails), cropped to the shallow map.
    /// </summary>
    public Tensor Merge(Tensor? shallow, Tensor? deep, Tensor shallowLike)
    {
        using var scope = NewDisposeScope();
        Tensor sum;
        if (deep is null) sum = shallow ?? throw new ArgumentException("At least one level is needed.");
        else
        {
            var up = F.interpolate(deep, scale_factor: [2, 2], mode: InterpolationMode.Nearest);
            up = up[.., .., ..(int)shallowLike.shape[2], ..(int)shallowLike.shape[3]];
            sum = shallow is null ? up : shallow + up;
        }
        return merge_conv.forward(F.pad(sum, [1, 1, 1, 1], PaddingModes.Reflect)).MoveToOuterDisposeScope();
    }

    /// <summary>Builds a transform from a state dict in the official layout; the width (512 or 256) picks the layers.</summary>
    /// <exception cref="Weights.WeightFileException">A key is missing or a shape is wrong (the message names it).</exception>
    /// <param name="stateDict">The tensors, keyed as the official file.</param>
    /// <param name="source">The file, for messages.</param>
    /// <param name="layers">The layers the file was trained at; by default inferred from its width.</param>
    public static SANetTransform FromStateDict(IReadOnlyDictionary<string, Tensor> stateDict, string source = "state dict", SANetLayers? layers = null)
    {
        if (!stateDict.TryGetValue("sanet4_1.f.weight", out var probe))
            throw new Weights.WeightFileException(source, "is not a SANet transformer: it has no 'sanet4_1.f.weight' (the official transformer_iter_*.pth keys are sanet4_1.*, sanet5_1.*, merge_conv.*).");
        int width = (int)probe.shape[0];
        var transform = new SANetTransform(layers ?? SANetLayers.ForChannels(width, source), width);
        StateDictCopy.CopyInto(transform, stateDict, source, "SANet transformer");
        return transform;
    }

    /// <summary>Loads a transformer file (<c>.pth</c> as the official <c>transformer_iter_*.pth</c>, or <c>.safetensors</c>).</summary>
    public static SANetTransform Load(string path, Device? device = null, SANetLayers? layers = null)
    {
        var stateDict = Weights.StateDictFile.Load(path);
        try
        {
            var transform = FromStateDict(stateDict, path, layers);
            if (device is not null) transform.to(device);
            return transform;
        }
        finally
        {
            foreach (var t in stateDict.Values) t.Dispose();
        }
    }
}
