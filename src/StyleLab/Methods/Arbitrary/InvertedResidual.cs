using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Methods.Arbitrary;

/// <summary>
/// MobileNet-v2's inverted residual block (Sandler et al. 2018, §3.3): a 1×1 expansion with ReLU6,
/// a 3×3 depthwise convolution with ReLU6, a linear 1×1 projection, and the input added back when
/// the shapes allow (stride 1, same width).
/// </summary>
public sealed class InvertedResidual : nn.Module<Tensor, Tensor>
{
    readonly ModuleList<TfliteConvolution> layers;
    readonly bool _residual;
    readonly Int8Grid? _sumGrid;

    internal InvertedResidual(string name, IEnumerable<TfliteConvolution> layers, bool residual, Int8Grid? sumGrid) : base(name)
    {
        this.layers = new ModuleList<TfliteConvolution>(layers.ToArray());
        (_residual, _sumGrid) = (residual, sumGrid);
        RegisterComponents();
    }

    /// <summary>Whether the input is added to the projection.</summary>
    public bool IsResidual => _residual;

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x;
        foreach (var layer in layers) y = layer.forward(y);
        if (_residual)
        {
            y = x + y;
            if (_sumGrid is not null) y = _sumGrid.Round(y);
        }
        return y.MoveToOuterDisposeScope();
    }
}
