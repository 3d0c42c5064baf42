using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.Arbitrary;

/// <summary>
/// The style transfer network T of Ghiasi et al. (BMVC 2017, §3.1), which is Dumoulin et al.'s
/// (ICLR 2017) conditional-instance-norm network: a contracting part (reflection-padded 9×9, 3×3/2,
/// 3×3/2 convolutions with ReLU; their batch norm is folded into the biases), five residual blocks and
/// an expanding part (nearest ×2 up-sampling + 3×3, twice, then 9×9 to RGB with a sigmoid), every
/// convolution after the contraction normalised with γ, β predicted from the style bottleneck S.
/// Built from the graph of <c>style_transfer_f16_384.tflite</c> (float16 weights, float32 compute).
/// </summary>
public sealed class StyleTransformerNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Input sizes divisible by this come back unchanged (two stride-2 layers, two ×2 up-samplings).</summary>
    public const int SizeMultiple = 4;

    readonly ModuleList<TfliteConvolution> contract;
    readonly ModuleList<StyleConvLayer> residual, expand;
    readonly int[] _padding;

    StyleTransformerNetwork(IEnumerable<TfliteConvolution> contract, int[] padding, IEnumerable<StyleConvLayer> residual, IEnumerable<StyleConvLayer> expand)
        : base(nameof(StyleTransformerNetwork))
    {
        this.contract = new ModuleList<TfliteConvolution>(contract.ToArray());
        this.residual = new ModuleList<StyleConvLayer>(residual.ToArray());
        this.expand = new ModuleList<StyleConvLayer>(expand.ToArray());
        _padding = padding;
        RegisterComponents();
    }

    /// <summary>Rebuilds the transformer from Magenta's TFLite graph (tensor names <c>transformer/…</c>, <c>style_params/…</c>).</summary>
    public static StyleTransformerNetwork FromTflite(TfliteModel model)
    {
        const string t = "transformer";
        if (!model.HasTensor($"{t}/contract/conv1/weights"))
            throw new WeightFileException(model.Source, $"no '{t}/contract/conv1/weights': not a Magenta style transformer.");
        var contract = Enumerable.Range(1, 3).Select(i => TfliteConvolution.Load(model, $"{t}/contract/conv{i}/weights", simulateInt8: false)).ToList();
        var padding = Enumerable.Range(1, 3).Select(i => (model.Tensor($"{t}/contract/conv{i}/weights").Shape[1] - 1) / 2).ToArray();
        var residual = new List<StyleConvLayer>();
        for (int i = 1; model.HasTensor($"{t}/residual/residual{i}/conv1/weights"); i++)
        {
            residual.Add(StyleConvLayer.FromTflite(model, $"{t}/residual/residual{i}/conv1", LayerActivation.Relu));
            residual.Add(StyleConvLayer.FromTflite(model, $"{t}/residual/residual{i}/conv2", LayerActivation.None));
        }
        var expand = new List<StyleConvLayer>
        {
            StyleConvLayer.FromTflite(model, $"{t}/expand/conv1/conv", LayerActivation.Relu, upsample: 2),
            StyleConvLayer.FromTflite(model, $"{t}/expand/conv2/conv", LayerActivation.Relu, upsample: 2),
            StyleConvLayer.FromTflite(model, $"{t}/expand/conv3/conv", LayerActivation.Sigmoid),
        };
        return new StyleTransformerNetwork(contract, padding, residual, expand);
    }

    /// <summary>Content images [N,3,H,W] in [0,1] and style bottlenecks S [N,100] (or [1,100]) → stylised images in [0,1].</summary>
    public override Tensor forward(Tensor content, Tensor style) => Run(content, style, trace: null);

    /// <summary>
    /// As <see cref="forward"/>, recording each block's output under Magenta's tensor name; <paramref name="decoderInput"/>
    /// edits the residual blocks' output (stride 4), the input of the expanding "decoder" (<see cref="IDecoderInputAccess"/>).
    /// </summary>
    internal Tensor Run(Tensor content, Tensor style, IDictionary<string, Tensor>? trace, Func<Tensor, Tensor>? decoderInput = null)
    {
        using var scope = NewDisposeScope();
        var x = content;
        for (int i = 0; i < contract.Count; i++)
        {
            int p = _padding[i];
            x = contract[i].forward(F.pad(x, [p, p, p, p], PaddingModes.Reflect));
            Record(trace, $"transformer/contract/conv{i + 1}/Relu", x);
        }
        for (int i = 0; i < residual.Count; i += 2)
        {
            x = x + residual[i + 1].forward(residual[i].forward(x, style), style);
            Record(trace, $"transformer/residual/residual{i / 2 + 1}/add", x);
        }
        if (decoderInput is not null) x = decoderInput(x);
        for (int i = 0; i < expand.Count; i++)
        {
            x = expand[i].forward(x, style);
            Record(trace, i < expand.Count - 1 ? $"transformer/expand/conv{i + 1}/conv/Relu" : "transformer/expand/conv3/conv/Sigmoid", x);
        }
        return x.MoveToOuterDisposeScope();
    }

    static void Record(IDictionary<string, Tensor>? trace, string name, Tensor x)
    {
        if (trace is not null) trace[name] = x.detach().clone().DetachFromDisposeScope();
    }
}
