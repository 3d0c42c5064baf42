using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.CAST;

/// <summary>
/// Anti-aliased ×2 down-sampling (Zhang 2019, as the official <c>networks.Downsample</c>, filter size 3):
/// reflection pad 1, then a depthwise [1 2 1]ᵀ[1 2 1]/16 blur with stride 2. The filter is a buffer
/// named <c>filt</c> [C,1,3,3], as in the official state dicts.
/// </summary>
public sealed class BlurDownsample : nn.Module<Tensor, Tensor>
{
    readonly Tensor filt;

    /// <summary>A blur-pool for <paramref name="channels"/> channels.</summary>
    public BlurDownsample(int channels) : base(nameof(BlurDownsample))
    {
        using var a = tensor(new float[] { 1, 2, 1 });
        using var kernel = outer(a, a) / 16f;
        filt = kernel.view(1, 1, 3, 3).repeat(channels, 1, 1, 1);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var padded = F.pad(input, [1, 1, 1, 1], PaddingModes.Reflect);
        return F.conv2d(padded, filt, strides: [2, 2], groups: input.shape[1]);
    }
}
