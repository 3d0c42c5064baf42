using StyleLab.Encoders;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Methods.CAST;

/// <summary>
/// The "style VGG" of CAST's multi-layer style projector (official <c>models/MSP.py</c>): VGG-19 with
/// batch normalisation after every convolution, an extra leading 3→3 convolution, zero padding and
/// plain 2×2 max pools, cut into six stages whose outputs the MSP pools into style codes.
/// </summary>
public static class StyleVgg
{
    /// <summary>The official <c>make_layers</c> configuration (0 = max pool).</summary>
    static readonly int[] Configuration = [3, 64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0, 512, 512, 0, 512, 512, 0];

    /// <summary>Where each stage ends in the 70-layer sequence (official <c>StyleExtractor</c> slices).</summary>
    static readonly int[] StageEnds = [6, 13, 20, 33, 46, 70];

    /// <summary>Channels of each stage's output.</summary>
    public static IReadOnlyList<int> StageChannels { get; } = [64, 128, 256, 512, 512, 512];

    /// <summary>Number of stages (official <c>enc_1 … enc_6</c>).</summary>
    public const int StageCount = 6;

    /// <summary>
    /// The six stages as <c>nn.Sequential</c>s, numbered inside each stage as the official slices are
    /// (<c>enc_1.0</c> conv, <c>enc_1.1</c> batch norm, <c>enc_1.2</c> ReLU, …).
    /// </summary>
    public static Sequential[] Stages()
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        int channels = 3;
        foreach (int width in Configuration)
        {
            if (width == 0)
            {
                layers.Add(nn.MaxPool2d(2, 2));
                continue;
            }
            layers.Add(nn.Conv2d(channels, width, 3, padding: 1));
            layers.Add(nn.BatchNorm2d(width));
            layers.Add(nn.ReLU());
            channels = width;
        }
        var stages = new Sequential[StageCount];
        for (int s = 0, start = 0; s < StageCount; start = StageEnds[s], s++)
            stages[s] = nn.Sequential(layers.Skip(start).Take(StageEnds[s] - start).ToArray());
        return stages;
    }

    /// <summary>
    /// Initialises the style VGG's convolutions from ImageNet VGG-19 weights where they exist (e.g.
    /// ../shared's partial file: conv1_1 … conv3_4 fill the 64-, 128- and 256-channel convolutions), and
    /// the leading 3→3 convolution with the colour mapping from CAST's [-1, 1] images to the weights'
    /// preprocessing. Used by the offline variant; the official weights come from a style classifier.
    /// </summary>
    /// <returns>How many convolutions were initialised from the encoder.</returns>
    public static int InitialiseFrom(Sequential[] stages, Vgg19Encoder imagenet)
    {
        var convs = stages.SelectMany(s => s.children()).OfType<Conv2d>().ToList();
        var source = imagenet.named_children().Where(c => c.name.StartsWith("conv") && c.name != "conv0")
            .Select(c => (Conv2d)c.module).ToList();
        using var _ = no_grad();
        // [-1,1] RGB → the network's input: x' = (x + 1)/2 → preprocessing (affine per channel, maybe BGR).
        var pre = imagenet.Preprocessing;
        // The leading convolution is 3×3 (zero padding): the mapping sits at its centre tap, the rest is 0.
        var weight = zeros(convs[0].weight!.shape);
        long centre = weight.shape[2] / 2;
        var bias = zeros(3);
        for (int o = 0; o < 3; o++)
        {
            int i = pre.Bgr ? 2 - o : o;
            float scale = pre.Scale * 0.5f / pre.Std[o];
            weight[o, i, centre, centre] = scale;
            bias[o] = (pre.Scale * 0.5f - pre.Mean[o]) / pre.Std[o];
        }
        convs[0].weight!.copy_(weight);
        convs[0].bias!.copy_(bias);
        int count = 0;
        for (int k = 0; k < source.Count && k + 1 < convs.Count; k++, count++)
        {
            convs[k + 1].weight!.copy_(source[k].weight!);
            convs[k + 1].bias!.copy_(source[k].bias!);
        }
        weight.Dispose();
        bias.Dispose();
        return count;
    }
}
