using StyleLab.Encoders;

namespace StyleLab.Methods.SANet;

/// <summary>
/// The two encoder layers a SANet transform attends at: a shallow one, whose resolution the merged
/// features and the decoder keep, and a deep one at half that resolution (up-sampled ×2 before the merge).
/// Both must have the same number of channels, as the official <c>Transform</c> uses one width.
/// </summary>
/// <param name="Shallow">The official <c>relu4_1</c> (its SANet is <c>sanet4_1</c>).</param>
/// <param name="Deep">The official <c>relu5_1</c> (its SANet is <c>sanet5_1</c>).</param>
public sealed record SANetLayers(string Shallow, string Deep)
{
    /// <summary>The paper's: relu4_1 and relu5_1, 512 channels, decoded from relu4_1.</summary>
    public static SANetLayers Paper { get; } = new("relu4_1", "relu5_1");

    /// <summary>
    /// For VGG weights that stop in block 3 (../shared's partial VGG-19): relu3_1 and pool3, 256 channels,
    /// decoded from relu3_1. pool3 (max-pooled relu3_4) is the deepest map such weights give at half the
    /// resolution of relu3_1 with its width, so the official <c>Transform</c> runs unchanged at width 256.
    /// </summary>
    public static SANetLayers Shallow3 { get; } = new("relu3_1", "pool3");

    /// <summary>Channels at both layers.</summary>
    public int Channels => VggLayers.Get(Shallow).OutChannels;

    /// <summary>The pair for weights of this width: 512 → <see cref="Paper"/>, 256 → <see cref="Shallow3"/>.</summary>
    public static SANetLayers ForChannels(int channels, string source) => channels switch
    {
        512 => Paper,
        256 => Shallow3,
        _ => throw new Weights.WeightFileException(source, $"holds {channels}-channel SANets; StyleLab knows 512 (relu4_1 + relu5_1) and 256 (relu3_1 + pool3)."),
    };

    /// <summary>The pair whose deepest layer the encoder reaches: <see cref="Paper"/> for full VGG-19, else <see cref="Shallow3"/>.</summary>
    public static SANetLayers For(Vgg19Encoder encoder) =>
        encoder.DeepestLayer.Index >= VggLayers.Get(Paper.Deep).Index ? Paper : Shallow3;

    /// <summary>The encoder stages whose outputs the losses compare (the official <c>encode_with_intermediate</c>): relu1_1, relu2_1, … up to <see cref="Deep"/>.</summary>
    public IReadOnlyList<string> LossLayers =>
        VggLayers.All.Where(l => (l.Kind == VggLayerKind.Relu && l.Name.EndsWith("_1") && l.Index < VggLayers.Get(Deep).Index) || l.Name == Deep)
            .Select(l => l.Name).ToList();

    /// <inheritdoc/>
    public override string ToString() => $"{Shallow} + {Deep}";
}
