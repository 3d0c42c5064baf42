using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>
/// Enc_c, the content encoder (Zhao et al. 2018, §3): three convolutions without down-sampling, so the
/// content map keeps the glyph's spatial detail: [B,3,S,S] → [B,C,S,S].
/// </summary>
public sealed class ContentEncoder : nn.Module<Tensor, Tensor>
{
    readonly SaaeConv conv1, conv2, conv3;

    /// <summary>Enc_c with <see cref="SaaeOptions.Channels"/> output channels.</summary>
    public ContentEncoder(SaaeOptions options) : base("Enc_c")
    {
        int c = options.Channels;
        conv1 = new SaaeConv(nameof(conv1), 3, c, slope: options.LeakySlope);
        conv2 = new SaaeConv(nameof(conv2), c, c, slope: options.LeakySlope);
        conv3 = new SaaeConv(nameof(conv3), c, c, slope: options.LeakySlope);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor content)
    {
        using var scope = NewDisposeScope();
        return conv3.forward(conv2.forward(conv1.forward(content))).MoveToOuterDisposeScope();
    }
}
