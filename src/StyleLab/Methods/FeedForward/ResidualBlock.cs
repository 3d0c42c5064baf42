using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.FeedForward;

/// <summary>
/// A residual block (He et al. 2016) as Johnson et al. use it: two 3×3 convolutions with instance
/// norm, a ReLU only between them, and the input added to the result. Engstrom's blocks, which the
/// pretrained nets have, keep the spatial size (SAME padding) rather than Johnson's cropping.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    readonly ConvLayer conv1, conv2;

    /// <summary>A block of width <paramref name="channels"/>.</summary>
    public ResidualBlock(string name, int channels) : base(name)
    {
        conv1 = new ConvLayer("conv1", channels, channels, 3, 1, relu: true);
        conv2 = new ConvLayer("conv2", channels, channels, 3, 1, relu: false);
        RegisterComponents();
    }

    /// <summary>The block's two convolutions, in order.</summary>
    public IReadOnlyList<ConvLayer> Convolutions => [conv1, conv2];

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (x + conv2.forward(conv1.forward(x))).MoveToOuterDisposeScope();
    }
}
