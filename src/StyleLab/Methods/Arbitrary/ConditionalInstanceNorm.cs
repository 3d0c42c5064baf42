using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Arbitrary;

/// <summary>
/// Conditional instance normalisation (Dumoulin et al., ICLR 2017, eq. 5) with the per-style scale γ
/// and shift β predicted from the style bottleneck S (Ghiasi et al., BMVC 2017, §3.1):
/// <c>γ(S) · (x − μ(x)) / √(σ²(x) + ε) + β(S)</c>, μ and σ² per image and channel. In Magenta's
/// graph γ and β are 1×1 convolutions of S named <c>StyleNorm/Conv_1</c> (γ) and <c>StyleNorm/Conv</c> (β).
/// </summary>
public sealed class ConditionalInstanceNorm : nn.Module<Tensor, Tensor, Tensor>
{
    readonly TfliteConvolution gamma, beta;
    readonly double _epsilon;

    ConditionalInstanceNorm(string name, TfliteConvolution gamma, TfliteConvolution beta, double epsilon) : base(name)
    {
        (this.gamma, this.beta, _epsilon) = (gamma, beta, epsilon);
        RegisterComponents();
    }

    /// <summary>The normalisation after the convolution <paramref name="layer"/> (e.g. <c>transformer/residual/residual1/conv1</c>).</summary>
    public static ConditionalInstanceNorm FromTflite(TfliteModel model, string layer)
    {
        string norm = layer + "/StyleNorm";
        using var epsilon = model.Dequantize(model.Tensor(norm + "/batchnorm/add/y"));
        return new ConditionalInstanceNorm(layer.Replace('/', '.') + ".norm",
            TfliteConvolution.Load(model, $"style_params/{norm}/Conv_1/weights", simulateInt8: false),
            TfliteConvolution.Load(model, $"style_params/{norm}/Conv/weights", simulateInt8: false),
            epsilon.item<float>());
    }

    /// <summary>Normalises features [N,C,H,W] with the style of bottlenecks S [N,100] (or [1,100] for all).</summary>
    public override Tensor forward(Tensor features, Tensor style)
    {
        using var scope = NewDisposeScope();
        var s = style.view(style.shape[0], style.shape[1], 1, 1);
        var mean = features.mean([2, 3], keepdim: true);
        var variance = (features - mean).square().mean([2, 3], keepdim: true);
        var normalised = (features - mean) * (variance + _epsilon).rsqrt();
        return (gamma.forward(s) * normalised + beta.forward(s)).MoveToOuterDisposeScope();
    }
}
