using static TorchSharp.torch;

namespace StyleLab.Encoders;

/// <summary>
/// The encoder of the arbitrary-style papers (AdaIN, SANet, CAST): VGG-19 with
/// <see cref="VggPresets.Normalised"/> (reflection padding, ceil-mode max pooling), cut at a
/// <c>reluN_1</c> layer. Loads the official <c>vgg_normalised.pth</c> (its leading 1×1 conv does the
/// preprocessing) or any ImageNet VGG-19 (preprocessing from the file's metadata), including files
/// that stop early, such as ../shared's partial VGG that ends at <c>conv3_4</c>.
/// </summary>
public static class NormalisedVgg
{
    /// <summary>The layers whose statistics the papers compare: <c>relu1_1 … relu5_1</c>.</summary>
    public static IReadOnlyList<string> FirstReluLayers { get; } = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"];

    /// <summary>Loads a VGG-19 weight file with the normalised set-up (see <see cref="Vgg19Encoder.Load"/>).</summary>
    public static Vgg19Encoder Load(string path, Preprocessing? preprocessing = null, Device? device = null) =>
        Vgg19Encoder.Load(path, VggPresets.Normalised, preprocessing, device);

    /// <summary>
    /// <paramref name="preferred"/> (the paper's <c>relu4_1</c>) when <paramref name="encoder"/> reaches it,
    /// else the deepest <c>reluN_1</c> it does reach (<c>relu3_1</c> for ../shared's partial VGG).
    /// </summary>
    public static string TopLayer(Vgg19Encoder encoder, string preferred = "relu4_1")
    {
        int wanted = VggLayers.Get(preferred).Index;
        var reachable = FirstReluLayers.Where(l => VggLayers.Get(l).Index <= Math.Min(wanted, encoder.DeepestLayer.Index)).ToList();
        return reachable.Count > 0 ? reachable[^1]
            : throw new ArgumentException($"{encoder.Source} does not reach relu1_1.", nameof(encoder));
    }

    /// <summary><c>relu1_1 … top</c>, the <c>reluN_1</c> layers up to <paramref name="top"/> (AdaIN's style-loss layers).</summary>
    public static IReadOnlyList<string> LayersUpTo(string top)
    {
        int index = VggLayers.Get(top).Index;
        return FirstReluLayers.Where(l => VggLayers.Get(l).Index <= index).ToList();
    }
}
