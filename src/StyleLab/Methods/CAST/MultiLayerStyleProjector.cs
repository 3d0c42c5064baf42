using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.CAST;

/// <summary>
/// CAST's multi-layer style projector, feature part (official <c>StyleExtractor</c>, checkpoint
/// <c>latest_net_D.pth</c>): the style VGG's stage outputs, each pooled to one vector of global
/// average ‖ global max (2C), reduced by a 1×1 convolution + ReLU to a C-dimensional style code.
/// <see cref="ProjectionHead"/> maps the codes onto the unit hypersphere where InfoNCE compares them.
/// </summary>
public sealed class MultiLayerStyleProjector : nn.Module
{
    readonly Sequential[] _stages;
    readonly Conv2d[] _reducers;

    /// <summary>A projector with PyTorch's default initialisation.</summary>
    public MultiLayerStyleProjector() : base(nameof(MultiLayerStyleProjector))
    {
        _stages = StyleVgg.Stages();
        _reducers = StyleVgg.StageChannels.Select(c => nn.Conv2d(2 * c, c, 1)).ToArray();
        for (int s = 0; s < StyleVgg.StageCount; s++) register_module($"enc_{s + 1}", _stages[s]);
        for (int s = 0; s < StyleVgg.StageCount; s++) register_module($"conv1x1_{s}", _reducers[s]);
    }

    /// <summary>The style VGG's stages (official <c>enc_1 … enc_6</c>).</summary>
    public IReadOnlyList<Sequential> Stages => _stages;

    /// <summary>
    /// The style codes [N,C_l] of images [N,3,H,W] in CAST's [-1, 1] range for the stages in
    /// <paramref name="layers"/> (0…5), in that order. Runs the VGG only as deep as needed; stage 5
    /// needs inputs of at least 128 pixels (three more pools).
    /// </summary>
    public Tensor[] Codes(Tensor images, IReadOnlyList<int> layers)
    {
        if (layers.Count == 0 || layers.Any(l => l < 0 || l >= StyleVgg.StageCount))
            throw new ArgumentException($"MSP layers are 0…{StyleVgg.StageCount - 1}; got [{string.Join(",", layers)}].", nameof(layers));
        using var scope = NewDisposeScope();
        int deepest = layers.Max();
        var features = new Tensor[deepest + 1];
        var x = images;
        for (int s = 0; s <= deepest; s++) x = features[s] = _stages[s].forward(x);
        var codes = layers.Select(l =>
        {
            var pooled = cat([F.adaptive_avg_pool2d(features[l], 1), F.adaptive_max_pool2d(features[l], [1, 1])], 1);
            return F.relu(_reducers[l].forward(pooled)).flatten(1).MoveToOuterDisposeScope();
        }).ToArray();
        return codes;
    }

    /// <summary>The parameters that <see cref="Codes"/> of <paramref name="layers"/> depend on (the stages up to the deepest, their reducers).</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> ParametersFor(IReadOnlyList<int> layers) =>
        _stages.Take(layers.Max() + 1).SelectMany(s => s.parameters())
            .Concat(layers.Distinct().Order().SelectMany(l => _reducers[l].parameters()));

    /// <summary>Loads an official <c>latest_net_D.pth</c> (keys <c>enc_1.0.weight</c>, <c>conv1x1_0.weight</c>, …).</summary>
    public static MultiLayerStyleProjector FromStateDict(IReadOnlyDictionary<string, Tensor> stateDict, string source = "state dict")
    {
        var projector = new MultiLayerStyleProjector();
        StateDictCopy.CopyInto(projector, stateDict, source, "CAST style extractor (latest_net_D)");
        return projector;
    }
}
