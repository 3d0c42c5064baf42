using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>
/// Dec, the decoder (Zhao et al. 2018, §3): three convolutions from the concatenated content and style
/// maps [B,2C,S,S] to an image [B,3,S,S]; the last layer's sigmoid keeps it in [0,1].
/// </summary>
public sealed class SaaeDecoder : nn.Module<Tensor, Tensor>
{
    readonly SaaeConv conv1, conv2, conv3;

    /// <summary>Dec for <see cref="SaaeOptions.Channels"/> content and as many style channels.</summary>
    public SaaeDecoder(SaaeOptions options) : base("Dec")
    {
        int c = options.Channels;
        conv1 = new SaaeConv(nameof(conv1), 2 * c, c, slope: options.LeakySlope);
        conv2 = new SaaeConv(nameof(conv2), c, c, slope: options.LeakySlope);
        conv3 = new SaaeConv(nameof(conv3), c, 3, sigmoid: true);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor latent)
    {
        using var scope = NewDisposeScope();
        return conv3.forward(conv2.forward(conv1.forward(latent))).MoveToOuterDisposeScope();
    }
}
