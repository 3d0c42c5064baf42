using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Methods.CAST;

/// <summary>
/// A domain discriminator of CAST (official <c>define_D</c> with its defaults: <c>netD='basic'</c>,
/// the 70×70 PatchGAN <c>NLayerDiscriminator</c> with 3 layers, ndf 64, instance norm without affine
/// parameters, anti-aliased down-sampling): 4×4 convolutions with LeakyReLU(0.2), each stride-2 step
/// replaced by a stride-1 conv followed by <see cref="BlurDownsample"/>; one logit per patch.
/// Keys as the official <c>latest_net_D_A.pth</c>: <c>model.0.weight</c>, <c>model.2.filt</c>, ….
/// </summary>
public sealed class CastDiscriminator : nn.Module<Tensor, Tensor>
{
    readonly Sequential model;

    /// <summary>A PatchGAN with <paramref name="baseChannels"/> filters in its first layer and <paramref name="layers"/> down-sampling layers.</summary>
    public CastDiscriminator(int baseChannels = 64, int layers = 3) : base(nameof(CastDiscriminator))
    {
        var sequence = new List<nn.Module<Tensor, Tensor>>
        {
            nn.Conv2d(3, baseChannels, 4, stride: 1, padding: 1), nn.LeakyReLU(0.2), new BlurDownsample(baseChannels),
        };
        int multiplier = 1;
        for (int n = 1; n < layers; n++)
        {
            int previous = multiplier;
            multiplier = Math.Min(1 << n, 8);
            sequence.AddRange([
                nn.Conv2d(baseChannels * previous, baseChannels * multiplier, 4, stride: 1, padding: 1),
                nn.InstanceNorm2d(baseChannels * multiplier), nn.LeakyReLU(0.2), new BlurDownsample(baseChannels * multiplier)]);
        }
        int last = multiplier;
        multiplier = Math.Min(1 << layers, 8);
        sequence.AddRange([
            nn.Conv2d(baseChannels * last, baseChannels * multiplier, 4, stride: 1, padding: 1),
            nn.InstanceNorm2d(baseChannels * multiplier), nn.LeakyReLU(0.2),
            nn.Conv2d(baseChannels * multiplier, 1, 4, stride: 1, padding: 1)]);
        model = nn.Sequential(sequence.ToArray());
        RegisterComponents();
    }

    /// <summary>Patch logits [N,1,h,w] of images [N,3,H,W] in CAST's [-1, 1] range.</summary>
    public override Tensor forward(Tensor images) => model.forward(images);

    /// <summary>Loads an official <c>latest_net_D_A.pth</c> / <c>latest_net_D_B.pth</c>.</summary>
    public static CastDiscriminator FromStateDict(IReadOnlyDictionary<string, Tensor> stateDict, string source = "state dict")
    {
        var discriminator = new CastDiscriminator();
        StateDictCopy.CopyInto(discriminator, stateDict, source, "CAST discriminator");
        return discriminator;
    }
}
