using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.Saae;

/// <summary>
/// Enc_s, the style encoder (Zhao et al. 2018, §3): three convolutions and a fully connected layer that
/// give the style vector z_s [B, C·(S/8)²] of an exemplar [B,3,S,2S]. <see cref="ToMap"/> reshapes z_s to
/// a map the size of the content map.
/// </summary>
/// <remarks>
/// The paper reshapes the fully connected output to the content map's size directly. At S = 32 with
/// C = 16 channels that layer would need 1024 × 16 384 weights, some sixty times the rest of the
/// generator; StyleLab reshapes z_s to a C × S/8 × S/8 map and up-samples it bilinearly to S × S. The
/// concatenation stays half content, half style, and the coarse grid still lets a style vary across the
/// image (a gradient background).
/// </remarks>
public sealed class StyleEncoder : nn.Module<Tensor, Tensor>
{
    readonly SaaeConv conv1, conv2, conv3;
    readonly Linear fc;
    readonly SaaeOptions _options;

    /// <summary>Enc_s for exemplars of <see cref="SaaeOptions.ImageSize"/> × 2·ImageSize.</summary>
    public StyleEncoder(SaaeOptions options) : base("Enc_s")
    {
        _options = options;
        int c = options.Channels;
        conv1 = new SaaeConv(nameof(conv1), 3, c, stride: 2, slope: options.LeakySlope);
        conv2 = new SaaeConv(nameof(conv2), c, 2 * c, stride: 2, slope: options.LeakySlope);
        conv3 = new SaaeConv(nameof(conv3), 2 * c, 2 * c, stride: 2, slope: options.LeakySlope);
        int grid = options.StyleGrid;
        fc = nn.Linear(2 * c * grid * 2 * grid, options.StyleDimension);
        RegisterComponents();
    }

    /// <summary>z_s [B, C·(S/8)²] of exemplars [B,3,S,2S].</summary>
    public override Tensor forward(Tensor exemplar)
    {
        int s = _options.ImageSize;
        if (exemplar.dim() != 4 || exemplar.shape[1] != 3 || exemplar.shape[2] != s || exemplar.shape[3] != 2 * s)
            throw new ArgumentException($"Enc_s expects style exemplars [B,3,{s},{2 * s}], not [{string.Join(",", exemplar.shape)}].", nameof(exemplar));
        using var scope = NewDisposeScope();
        var features = conv3.forward(conv2.forward(conv1.forward(exemplar)));
        return fc.forward(features.flatten(1)).MoveToOuterDisposeScope();
    }

    /// <summary>z_s reshaped to [B,C,S/8,S/8] and up-sampled to the content map's [B,C,S,S].</summary>
    public Tensor ToMap(Tensor z)
    {
        using var scope = NewDisposeScope();
        int grid = _options.StyleGrid, s = _options.ImageSize;
        var map = z.reshape(z.shape[0], _options.Channels, grid, grid);
        return F.interpolate(map, [s, s], mode: InterpolationMode.Bilinear, align_corners: false).MoveToOuterDisposeScope();
    }
}
