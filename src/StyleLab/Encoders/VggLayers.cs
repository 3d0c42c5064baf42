namespace StyleLab.Encoders;

/// <summary>The kinds of layer in VGG-19's feature extractor.</summary>
public enum VggLayerKind { Conv, Relu, Pool }

/// <summary>One named layer of VGG-19's feature extractor, e.g. <c>conv4_2</c>, <c>relu1_1</c>, <c>pool3</c>.</summary>
/// <param name="Name">The conventional name.</param>
/// <param name="Kind">Convolution, ReLU or pooling.</param>
/// <param name="Index">Position in the 37-layer sequence (torchvision's <c>features</c> index).</param>
/// <param name="Block">1…5.</param>
/// <param name="InChannels">Input channels (convolutions only).</param>
/// <param name="OutChannels">Channels of this layer's output.</param>
public sealed record VggLayer(string Name, VggLayerKind Kind, int Index, int Block, int InChannels, int OutChannels)
{
    /// <summary>Spatial down-sampling factor of this layer's output relative to the image.</summary>
    public int Stride => 1 << (Kind == VggLayerKind.Pool ? Block : Block - 1);
}

/// <summary>VGG-19's layer table (Simonyan &amp; Zisserman 2015, configuration E).</summary>
public static class VggLayers
{
    static readonly int[] ConvsPerBlock = [2, 2, 4, 4, 4];
    static readonly int[] Widths = [64, 128, 256, 512, 512];

    /// <summary>conv1_1, relu1_1, conv1_2, relu1_2, pool1, conv2_1, … relu5_4, pool5.</summary>
    public static IReadOnlyList<VggLayer> All { get; } = Build();

    static readonly Dictionary<string, VggLayer> ByName = All.ToDictionary(l => l.Name);

    /// <summary>The layer with this name; an error lists the valid names.</summary>
    public static VggLayer Get(string name) =>
        ByName.TryGetValue(name, out var layer) ? layer
        : throw new ArgumentException(
            $"'{name}' is not a VGG-19 layer. Layers are conv1_1 … conv5_4, relu1_1 … relu5_4 and pool1 … pool5.", nameof(name));

    /// <summary>The convolutions, in order.</summary>
    public static IEnumerable<VggLayer> Convolutions => All.Where(l => l.Kind == VggLayerKind.Conv);

    static List<VggLayer> Build()
    {
        var layers = new List<VggLayer>();
        int channels = 3;
        for (int b = 0; b < 5; b++)
        {
            for (int c = 1; c <= ConvsPerBlock[b]; c++)
            {
                layers.Add(new($"conv{b + 1}_{c}", VggLayerKind.Conv, layers.Count, b + 1, channels, Widths[b]));
                layers.Add(new($"relu{b + 1}_{c}", VggLayerKind.Relu, layers.Count, b + 1, Widths[b], Widths[b]));
                channels = Widths[b];
            }
            layers.Add(new($"pool{b + 1}", VggLayerKind.Pool, layers.Count, b + 1, channels, channels));
        }
        return layers;
    }
}
