using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.CAST;

/// <summary>
/// The MSP's projection heads (official <c>Projector</c>, checkpoint <c>latest_net_P_style.pth</c>): for
/// each style-VGG stage an MLP C → 1024 → 2048 → 2048 with ReLUs, its output L2-normalised — the
/// hypersphere on which the style contrastive loss compares codes.
/// </summary>
public sealed class ProjectionHead : nn.Module
{
    readonly Sequential[] _heads;

    /// <summary>Width of the projected codes (fixed in the official code, as is its queue).</summary>
    public const int Dimension = 2048;

    /// <summary>Heads for all six stages, with PyTorch's default initialisation.</summary>
    public ProjectionHead() : base(nameof(ProjectionHead))
    {
        _heads = StyleVgg.StageChannels.Select(c => nn.Sequential(
            nn.Linear(c, 1024), nn.ReLU(), nn.Linear(1024, Dimension), nn.ReLU(), nn.Linear(Dimension, Dimension))).ToArray();
        for (int s = 0; s < _heads.Length; s++) register_module($"projector{s}", _heads[s]);
    }

    /// <summary>Projects the codes of <paramref name="layers"/> (as <see cref="MultiLayerStyleProjector.Codes"/> returned them) to unit vectors [N,2048].</summary>
    public Tensor[] Project(IReadOnlyList<Tensor> codes, IReadOnlyList<int> layers)
    {
        if (codes.Count != layers.Count)
            throw new ArgumentException($"{codes.Count} codes for {layers.Count} layers.", nameof(codes));
        return layers.Select((l, i) =>
        {
            using var scope = NewDisposeScope();
            var projection = _heads[l].forward(codes[i].flatten(1));
            return F.normalize(projection, p: 2, dim: 1).MoveToOuterDisposeScope();
        }).ToArray();
    }

    /// <summary>The parameters of the heads of <paramref name="layers"/>.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> ParametersFor(IReadOnlyList<int> layers) =>
        layers.Distinct().Order().SelectMany(l => _heads[l].parameters());

    /// <summary>Loads an official <c>latest_net_P_style.pth</c> (keys <c>projector0.0.weight</c>, …).</summary>
    public static ProjectionHead FromStateDict(IReadOnlyDictionary<string, Tensor> stateDict, string source = "state dict")
    {
        var head = new ProjectionHead();
        StateDictCopy.CopyInto(head, stateDict, source, "CAST projector (latest_net_P_style)");
        return head;
    }
}
