using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.FeedForward;

/// <summary>
/// One convolution of the transformation network (Johnson et al. 2016, supplementary Table 1, as
/// Engstrom's <c>_conv_layer</c>): a bias-free convolution with TensorFlow SAME zero padding, instance
/// normalisation (Ulyanov et al. 2016) with a learnt per-channel scale γ and shift β, then a ReLU
/// unless it is the last layer of a residual block or of the network.
/// </summary>
public sealed class ConvLayer : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict keys: conv.weight [out,in,k,k], norm.weight = γ, norm.bias = β.
    readonly Conv2d conv;
    readonly InstanceNorm2d norm;
    readonly int _kernel, _stride;
    readonly bool _relu;

    /// <summary>A <paramref name="kernel"/>×<paramref name="kernel"/> convolution with <paramref name="stride"/>.</summary>
    public ConvLayer(string name, int inChannels, int outChannels, int kernel, int stride, bool relu) : base(name)
    {
        conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, bias: false);
        norm = nn.InstanceNorm2d(outChannels, eps: TransformNet.InstanceNormEpsilon, affine: true);
        (_kernel, _stride, _relu) = (kernel, stride, relu);
        RegisterComponents();
    }

    /// <summary>The convolution's kernel [out, in, k, k].</summary>
    public Tensor Kernel => conv.weight!;

    /// <summary>The instance normalisation: <c>weight</c> is the scale γ, <c>bias</c> the shift β.</summary>
    public InstanceNorm2d Norm => norm;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (top, bottom) = SamePadding.Convolution(x.shape[2], _kernel, _stride);
        var (left, right) = SamePadding.Convolution(x.shape[3], _kernel, _stride);
        var y = norm.forward(conv.forward(F.pad(x, [left, right, top, bottom])));
        return (_relu ? F.relu(y) : y).MoveToOuterDisposeScope();
    }
}
