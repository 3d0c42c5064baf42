using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.Saae;

/// <summary>
/// The multi-class discriminator (Zhao et al. 2018, §3): three convolutions with a 2×2 max-pool after the
/// first, two fully connected layers, and k + 1 logits — one per real character class and one for
/// "fake" (<see cref="FakeClass"/>).
/// </summary>
public sealed class SaaeDiscriminator : nn.Module<Tensor, Tensor>
{
    const int Hidden = 256;

    readonly SaaeConv conv1, conv2, conv3;
    readonly Linear fc1, fc2;
    readonly double _slope;

    /// <summary>A discriminator of <paramref name="classes"/> real classes for glyphs of <see cref="SaaeOptions.ImageSize"/>.</summary>
    public SaaeDiscriminator(SaaeOptions options, int classes) : base("D")
    {
        int c = options.Channels, grid = options.StyleGrid;
        conv1 = new SaaeConv(nameof(conv1), 3, c, slope: options.LeakySlope);
        conv2 = new SaaeConv(nameof(conv2), c, 2 * c, stride: 2, slope: options.LeakySlope);
        conv3 = new SaaeConv(nameof(conv3), 2 * c, 2 * c, stride: 2, slope: options.LeakySlope);
        fc1 = nn.Linear(2 * c * grid * grid, Hidden);
        fc2 = nn.Linear(Hidden, classes + 1);
        (_slope, Classes) = (options.LeakySlope, classes);
        RegisterComponents();
    }

    /// <summary>k, the real classes.</summary>
    public int Classes { get; }

    /// <summary>The label of generated images: k.</summary>
    public int FakeClass => Classes;

    /// <summary>Logits [B, k+1] of images [B,3,S,S].</summary>
    public override Tensor forward(Tensor image)
    {
        using var scope = NewDisposeScope();
        var x = F.max_pool2d(conv1.forward(image), 2);
        x = conv3.forward(conv2.forward(x)).flatten(1);
        return fc2.forward(F.leaky_relu(fc1.forward(x), _slope)).MoveToOuterDisposeScope();
    }
}
