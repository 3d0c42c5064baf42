using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.Arbitrary;

/// <summary>What follows a <see cref="StyleConvLayer"/>'s normalisation.</summary>
public enum LayerActivation { None, Relu, Sigmoid }

/// <summary>
/// One convolution of Magenta's style transformer (Dumoulin et al. 2017, Ghiasi et al. 2017): an
/// optional nearest-neighbour up-sampling (their remedy for the checkerboard artefacts of transposed
/// convolutions), reflection padding of (k − 1)/2, the convolution, conditional instance
/// normalisation with the style, and an activation.
/// </summary>
public sealed class StyleConvLayer : nn.Module<Tensor, Tensor, Tensor>
{
    readonly TfliteConvolution conv;
    readonly ConditionalInstanceNorm norm;
    readonly int _upsample, _padding;
    readonly LayerActivation _activation;

    StyleConvLayer(string name, TfliteConvolution conv, ConditionalInstanceNorm norm, int upsample, int padding, LayerActivation activation) : base(name)
    {
        (this.conv, this.norm, _upsample, _padding, _activation) = (conv, norm, upsample, padding, activation);
        RegisterComponents();
    }

    /// <summary>The layer whose kernel is <c><paramref name="layer"/>/weights</c>, kernel size from the weights.</summary>
    public static StyleConvLayer FromTflite(TfliteModel model, string layer, LayerActivation activation, int upsample = 1)
    {
        var conv = TfliteConvolution.Load(model, layer + "/weights", simulateInt8: false);
        int kernel = model.Tensor(layer + "/weights").Shape[1];
        return new StyleConvLayer(layer.Replace('/', '.'), conv, ConditionalInstanceNorm.FromTflite(model, layer), upsample, (kernel - 1) / 2, activation);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x, Tensor style)
    {
        using var scope = NewDisposeScope();
        if (_upsample > 1) x = F.interpolate(x, scale_factor: [_upsample, _upsample], mode: InterpolationMode.Nearest);
        var y = norm.forward(conv.forward(F.pad(x, [_padding, _padding, _padding, _padding], PaddingModes.Reflect)), style);
        y = _activation switch { LayerActivation.Relu => F.relu(y), LayerActivation.Sigmoid => y.sigmoid(), _ => y };
        return y.MoveToOuterDisposeScope();
    }
}
