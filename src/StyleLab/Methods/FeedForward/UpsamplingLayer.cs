using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.FeedForward;

/// <summary>
/// A "fractionally-strided" convolution with stride ½ (Johnson et al. 2016, §3.1), as Engstrom's
/// <c>_conv_tranpose_layer</c>: a bias-free 3×3 transposed convolution with stride 2 whose output is
/// exactly twice the input (TensorFlow's <c>conv2d_transpose</c> with SAME padding), then instance
/// normalisation and a ReLU.
/// </summary>
public sealed class UpsamplingLayer : nn.Module<Tensor, Tensor>
{
    const int Stride = 2;

    // conv.weight is PyTorch's transposed layout [in, out, k, k].
    readonly ConvTranspose2d conv;
    readonly InstanceNorm2d norm;
    readonly int _kernel;

    /// <summary>Up-samples ×2 from <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public UpsamplingLayer(string name, int inChannels, int outChannels, int kernel = 3) : base(name)
    {
        conv = nn.ConvTranspose2d(inChannels, outChannels, kernel, stride: Stride, bias: false);
        norm = nn.InstanceNorm2d(outChannels, eps: TransformNet.InstanceNormEpsilon, affine: true);
        _kernel = kernel;
        RegisterComponents();
    }

    /// <summary>The transposed convolution's kernel [in, out, k, k].</summary>
    public Tensor Kernel => conv.weight!;

    /// <summary>The instance normalisation: <c>weight</c> is the scale γ, <c>bias</c> the shift β.</summary>
    public InstanceNorm2d Norm => norm;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long height = x.shape[2], width = x.shape[3];
        // The full transposed result is (in − 1)·2 + k long; SAME keeps 2·in of it, starting after
        // the padding the matching forward convolution would have had before the image.
        var full = conv.forward(x);
        var y = full
            .narrow(2, SamePadding.TransposedCrop(height, _kernel, Stride), Stride * height)
            .narrow(3, SamePadding.TransposedCrop(width, _kernel, Stride), Stride * width);
        return F.relu(norm.forward(y)).MoveToOuterDisposeScope();
    }
}
