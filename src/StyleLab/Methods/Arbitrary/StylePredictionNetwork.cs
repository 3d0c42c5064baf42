using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Methods.Arbitrary;

/// <summary>
/// The style prediction network P of Ghiasi et al. (BMVC 2017, §3.2) in Magenta's distilled form: a
/// MobileNet-v2 (Sandler et al. 2018) cut after its last 1×1 convolution, global average pooling, and
/// a 1×1 convolution to the 100-dimensional style bottleneck S. Built from the graph of
/// <c>style_predict_quantized_256.tflite</c>; with <see cref="SimulatesInt8"/> every activation is
/// rounded to the int8 grid the converter chose, so the result is what TFLite computes.
/// </summary>
public sealed class StylePredictionNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>The style image size the network was trained and converted for.</summary>
    public const int TrainedSize = 256;

    readonly TfliteConvolution stem, head, bottleneck;
    readonly ModuleList<InvertedResidual> blocks;
    readonly Int8Grid? _inputGrid, _poolGrid;

    /// <summary>Whether activations are rounded to the model's int8 grids.</summary>
    public bool SimulatesInt8 { get; }

    StylePredictionNetwork(TfliteConvolution stem, IEnumerable<InvertedResidual> blocks, TfliteConvolution head, TfliteConvolution bottleneck,
        Int8Grid? inputGrid, Int8Grid? poolGrid, bool simulateInt8) : base(nameof(StylePredictionNetwork))
    {
        (this.stem, this.head, this.bottleneck) = (stem, head, bottleneck);
        this.blocks = new ModuleList<InvertedResidual>(blocks.ToArray());
        (_inputGrid, _poolGrid, SimulatesInt8) = (inputGrid, poolGrid, simulateInt8);
        RegisterComponents();
    }

    /// <summary>
    /// Rebuilds the network from Magenta's TFLite style predictor (tensor names <c>MobilenetV2/…</c>,
    /// <c>bottleneck/Mean</c>, <c>mobilenet_conv/Conv</c>).
    /// </summary>
    public static StylePredictionNetwork FromTflite(TfliteModel model, bool simulateInt8 = true)
    {
        TfliteConvolution Conv(string kernel) => TfliteConvolution.Load(model, kernel, simulateInt8);
        const string net = "MobilenetV2";
        var blocks = new List<InvertedResidual>();
        for (int i = 0; model.HasTensor(Block(i) + "/depthwise/depthwise_weights"); i++)
        {
            string prefix = Block(i);
            var layers = new List<TfliteConvolution>();
            if (model.HasTensor(prefix + "/expand/weights")) layers.Add(Conv(prefix + "/expand/weights"));
            layers.Add(Conv(prefix + "/depthwise/depthwise_weights"));
            layers.Add(Conv(prefix + "/project/weights"));
            // The converter keeps the residual ADD's name: "<block>/add".
            bool residual = model.HasTensor(prefix + "/add");
            blocks.Add(new InvertedResidual(prefix.Replace('/', '.'), layers, residual,
                residual && simulateInt8 ? Int8Grid.Of(model.Tensor(prefix + "/add")) : null));
        }
        if (blocks.Count == 0) throw new WeightFileException(model.Source, "no MobileNet-v2 blocks ('MobilenetV2/expanded_conv…') found: not a Magenta style predictor.");

        // A fully quantised graph starts by quantising the float image; its grid is the input's.
        var quantize = model.Operators.FirstOrDefault(o => o.Code == TfliteOperatorCode.Quantize && model.Inputs.Contains(o.Inputs[0]));
        var inputGrid = simulateInt8 && quantize is not null ? Int8Grid.Of(model.Tensors[quantize.Outputs[0]]) : null;
        var poolGrid = simulateInt8 && model.HasTensor("bottleneck/Mean") ? Int8Grid.Of(model.Tensor("bottleneck/Mean")) : null;
        return new StylePredictionNetwork(Conv($"{net}/Conv/weights"), blocks, Conv($"{net}/Conv_1/weights"),
            Conv("mobilenet_conv/Conv/weights"), inputGrid, poolGrid, simulateInt8);

        static string Block(int i) => i == 0 ? $"{net}/expanded_conv" : $"{net}/expanded_conv_{i}";
    }

    /// <summary>Style images [N,3,H,W] in [0,1] (best at 256×256) → style bottlenecks S [N,100].</summary>
    public override Tensor forward(Tensor style)
    {
        using var scope = NewDisposeScope();
        var x = _inputGrid?.Round(style) ?? style;
        x = stem.forward(x);
        foreach (var block in blocks) x = block.forward(x);
        x = head.forward(x).mean([2, 3], keepdim: true);
        if (_poolGrid is not null) x = _poolGrid.Round(x);
        return bottleneck.forward(x).flatten(1).MoveToOuterDisposeScope();
    }
}
