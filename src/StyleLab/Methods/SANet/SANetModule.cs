using StyleLab.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Methods.SANet;

/// <summary>
/// The style-attentional network of Park &amp; Lee (CVPR 2019), one level: every content position attends
/// softly to every style position. With F̄ the mean-variance normalised features,
/// <c>f = W_f F̄c</c>, <c>g = W_g F̄s</c>, <c>h = W_h Fs</c> (1×1 convolutions),
/// <c>A = softmax_j(f_iᵀ g_j)</c>, <c>F_cs,i = Σ_j A_ij h_j</c> and the output
/// <c>F_csc = Fc + W_cs F_cs</c> (<c>out_conv</c>, a 1×1 convolution).
/// </summary>
/// <remarks>
/// Sub-modules are named as the official <c>SANet</c> class (GlebSBrykin/SANET): <c>f</c>, <c>g</c>,
/// <c>h</c>, <c>out_conv</c>, so <c>sanet4_1.f.weight</c> … load unchanged. The attention is not scaled
/// by √C, as in the official code.
/// </remarks>
public sealed class SANetModule : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Conv2d f, g, h, out_conv;

    /// <summary>Channels of the features this level attends over (512 at relu4_1/relu5_1).</summary>
    public int Channels { get; }

    /// <summary>A level over <paramref name="channels"/>-channel features, with PyTorch's default initialisation.</summary>
    public SANetModule(int channels) : base(nameof(SANetModule))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        Channels = channels;
        f = nn.Conv2d(channels, channels, 1);
        g = nn.Conv2d(channels, channels, 1);
        h = nn.Conv2d(channels, channels, 1);
        out_conv = nn.Conv2d(channels, channels, 1);
        RegisterComponents();
    }

    /// <summary>F_csc for content features [N,C,Hc,Wc] and style features [N,C,Hs,Ws]: [N,C,Hc,Wc].</summary>
    public override Tensor forward(Tensor content, Tensor style)
    {
        var (output, attention) = Attend(content, style);
        attention.Dispose();
        return output;
    }

    /// <summary>
    /// F_csc and the attention itself: [N, Hc·Wc, Hs·Ws], row i (a content position, row-major) a
    /// distribution over the style positions (row-major) that sums to 1.
    /// </summary>
    public (Tensor Output, Tensor Attention) Attend(Tensor content, Tensor style)
    {
        Check(content, nameof(content));
        Check(style, nameof(style));
        if (content.shape[0] != style.shape[0])
            throw new ArgumentException($"Content and style batches differ: {content.shape[0]} vs {style.shape[0]}.", nameof(style));
        using var scope = NewDisposeScope();
        long n = content.shape[0], hc = content.shape[2], wc = content.shape[3];
        var query = f.forward(ChannelStatistics.Normalize(content)).flatten(2).transpose(1, 2);   // [N, Pc, C]
        var key = g.forward(ChannelStatistics.Normalize(style)).flatten(2);                       // [N, C, Ps]
        var value = h.forward(style).flatten(2);                                                   // [N, C, Ps]
        var attention = bmm(query, key).softmax(-1);                                               // [N, Pc, Ps]
        var attended = bmm(value, attention.transpose(1, 2)).view(n, Channels, hc, wc);            // F_cs
        var output = out_conv.forward(attended) + content;
        return (output.MoveToOuterDisposeScope(), attention.MoveToOuterDisposeScope());
    }

    void Check(Tensor features, string name)
    {
        if (features.dim() != 4 || features.shape[1] != Channels)
            throw new ArgumentException($"Expected {Channels}-channel features [N,{Channels},H,W]; got [{string.Join(",", features.shape)}].", name);
    }
}
