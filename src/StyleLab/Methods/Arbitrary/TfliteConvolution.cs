using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.Arbitrary;

/// <summary>The activations TFLite fuses into an operator (schema enum <c>ActivationFunctionType</c>).</summary>
public enum FusedActivation : byte { None = 0, Relu = 1, ReluN1To1 = 2, Relu6 = 3, Tanh = 4 }

/// <summary>
/// One convolution of a TFLite graph as a TorchSharp module: the CONV_2D or DEPTHWISE_CONV_2D operator
/// whose kernel is a named constant, with its bias, stride, padding and fused activation read from
/// the graph, weights dequantised to float32 and moved to PyTorch's layout (OHWI → OIHW; depthwise
/// 1HWC → C1HW with one group per channel). Optionally it rounds its output to the operator's int8
/// grid, so a float network reproduces what the quantised one computes.
/// </summary>
public sealed class TfliteConvolution : nn.Module<Tensor, Tensor>
{
    readonly Tensor weight, bias;
    readonly int _stride, _groups, _kernelH, _kernelW;
    readonly bool _same;
    readonly FusedActivation _activation;
    readonly Int8Grid? _outputGrid;

    /// <summary>The layer's name (its kernel's name without <c>/weights</c>).</summary>
    public string LayerName { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels => weight.shape[0];

    TfliteConvolution(string name, Tensor weight, Tensor bias, int stride, int groups, bool same, FusedActivation activation, Int8Grid? grid)
        : base(name)
    {
        (LayerName, this.weight, this.bias, _stride, _groups, _same, _activation, _outputGrid) = (name, weight, bias, stride, groups, same, activation, grid);
        (_kernelH, _kernelW) = ((int)weight.shape[2], (int)weight.shape[3]);
        RegisterComponents();
    }

    /// <summary>
    /// Finds the convolution whose kernel is the constant <paramref name="kernelName"/> (directly, or
    /// through a DEQUANTIZE of it, as float16 and hybrid models store kernels) and builds it.
    /// <paramref name="simulateInt8"/> rounds outputs to the operator's int8 grid where it has one.
    /// </summary>
    public static TfliteConvolution Load(TfliteModel model, string kernelName, bool simulateInt8)
    {
        var kernel = model.Tensor(kernelName);
        var feeding = new HashSet<int> { kernel.Index };
        foreach (var op in model.Operators.Where(o => o.Code == TfliteOperatorCode.Dequantize && o.Inputs[0] == kernel.Index))
            feeding.Add(op.Outputs[0]);
        var conv = model.Operators.FirstOrDefault(o =>
                (o.Code is TfliteOperatorCode.Conv2D or TfliteOperatorCode.DepthwiseConv2D) && feeding.Contains(o.Inputs[1]))
            ?? throw new WeightFileException(model.Source, $"no convolution uses the kernel '{kernelName}'.");

        using var scope = NewDisposeScope();
        bool depthwise = conv.Code == TfliteOperatorCode.DepthwiseConv2D;
        var w = model.Dequantize(kernel);
        // Conv2D kernels are OHWI; depthwise kernels are 1·H·W·(C·multiplier), here multiplier 1.
        w = depthwise ? w.permute(3, 0, 1, 2) : w.permute(0, 3, 1, 2);
        var b = conv.Inputs.Length > 2 && conv.Inputs[2] >= 0
            ? ConstantOrDequantized(model, conv.Inputs[2])
            : zeros(w.shape[0]);
        var options = conv.Options ?? throw new WeightFileException(model.Source, $"convolution '{kernelName}' has no options.");
        // Conv2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 activation; DepthwiseConv2DOptions: … 3 depth_multiplier, 4 activation.
        int strideW = options.Int32(1, 1), strideH = options.Int32(2, 1);
        if (strideW != strideH) throw new WeightFileException(model.Source, $"convolution '{kernelName}' has unequal strides {strideH}×{strideW}.");
        if (depthwise && options.Int32(3, 1) != 1) throw new WeightFileException(model.Source, $"depthwise convolution '{kernelName}' has a depth multiplier other than 1.");
        var activation = (FusedActivation)options.Enum(depthwise ? 4 : 3);
        var grid = simulateInt8 ? Int8Grid.Of(model.Tensors[conv.Outputs[0]]) : null;
        string name = kernelName.EndsWith("/weights") ? kernelName[..^"/weights".Length]
            : kernelName.EndsWith("/depthwise_weights") ? kernelName[..^"/depthwise_weights".Length] : kernelName;
        return new TfliteConvolution(name, w.contiguous().DetachFromDisposeScope(), b.contiguous().DetachFromDisposeScope(),
            strideH, depthwise ? (int)w.shape[0] : 1, same: options.Enum(0) == 0, activation, grid);
    }

    static Tensor ConstantOrDequantized(TfliteModel model, int index)
    {
        var tensor = model.Tensors[index];
        if (tensor.IsConstant) return model.Dequantize(tensor);
        var dequantize = model.Operators.FirstOrDefault(o => o.Code == TfliteOperatorCode.Dequantize && o.Outputs[0] == index)
            ?? throw new WeightFileException(model.Source, $"bias '{tensor.Name}' is neither a constant nor dequantised from one.");
        return model.Dequantize(model.Tensors[dequantize.Inputs[0]]);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (_same)
        {
            var (top, bottom) = SamePadding.Convolution(x.shape[2], _kernelH, _stride);
            var (left, right) = SamePadding.Convolution(x.shape[3], _kernelW, _stride);
            if (top + bottom + left + right > 0) x = F.pad(x, [left, right, top, bottom]);
        }
        var y = F.conv2d(x, weight, bias, strides: [_stride, _stride], groups: _groups);
        y = _activation switch
        {
            FusedActivation.None => y,
            FusedActivation.Relu => F.relu(y),
            FusedActivation.Relu6 => y.clamp(0, 6),
            FusedActivation.ReluN1To1 => y.clamp(-1, 1),
            FusedActivation.Tanh => y.tanh(),
            _ => throw new NotSupportedException($"Fused activation {_activation}."),
        };
        return (_outputGrid?.Round(y) ?? y).MoveToOuterDisposeScope();
    }
}
