using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.Saae;

/// <summary>
/// One convolution of the SAAE networks (Zhao et al. 2018, §3): a 3×3 convolution, batch
/// normalisation (on every convolution, as the paper says), then a LeakyReLU — or a sigmoid for the
/// decoder's last layer, which makes an image in [0,1].
/// </summary>
public sealed class SaaeConv : nn.Module<Tensor, Tensor>
{
    // Field names are the state-dict keys: conv.weight, conv.bias, norm.weight, norm.bias, norm.running_mean, …
    readonly Conv2d conv;
    readonly BatchNorm2d norm;
    readonly double _slope;
    readonly bool _sigmoid;

    /// <summary>A 3×3 convolution with <paramref name="stride"/> and padding 1.</summary>
    public SaaeConv(string name, int inChannels, int outChannels, int stride = 1, double slope = 0.2, bool sigmoid = false) : base(name)
    {
        conv = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1);
        norm = nn.BatchNorm2d(outChannels);
        (_slope, _sigmoid) = (slope, sigmoid);
        RegisterComponents();
    }

    /// <summary>Output channels.</summary>
    public long OutChannels => conv.weight!.shape[0];

    /// <inheritdoc/>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = norm.forward(conv.forward(x));
        return (_sigmoid ? F.sigmoid(y) : F.leaky_relu(y, _slope)).MoveToOuterDisposeScope();
    }
}
