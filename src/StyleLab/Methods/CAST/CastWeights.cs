using StyleLab.Encoders;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Methods.CAST;

/// <summary>
/// The official CAST checkpoints' names (<c>latest_net_AE.pth</c>, <c>latest_net_Dec_A.pth</c>,
/// <c>latest_net_Dec_B.pth</c>, …) and how they map onto StyleLab's modules.
/// </summary>
/// <remarks>
/// The official <c>ADAIN_Encoder</c> slices the normalised VGG into <c>enc_1 … enc_4</c> at layers
/// 4, 11, 18 and 31 of its <c>nn.Sequential</c>, so its keys are <c>enc_{k}.{i}</c> with <c>i</c> the
/// index inside the slice; the decoders wrap the AdaIN decoder's sequence as <c>decoder.{i}</c>.
/// </remarks>
public static class CastWeights
{
    /// <summary>Where each encoder slice starts in the normalised VGG's sequence.</summary>
    static readonly int[] SliceStarts = [0, 4, 11, 18, 31];

    /// <summary>Official file names written by the official training script ("latest" epoch).</summary>
    public const string Encoder = "latest_net_AE", DecoderA = "latest_net_Dec_A", DecoderB = "latest_net_Dec_B",
        StyleExtractor = "latest_net_D", Projector = "latest_net_P_style", DiscriminatorA = "latest_net_D_A", DiscriminatorB = "latest_net_D_B";

    /// <summary><c>enc_2.5.weight</c> → <c>9.weight</c> (the vgg_normalised.pth key); null for a key outside the slices.</summary>
    public static string? EncoderKeyToNormalised(string key)
    {
        var parts = key.Split('.');
        if (parts.Length != 3 || !parts[0].StartsWith("enc_", StringComparison.Ordinal)
            || !int.TryParse(parts[0].AsSpan(4), out int slice) || slice < 1 || slice > 4 || !int.TryParse(parts[1], out int i))
            return null;
        return $"{SliceStarts[slice - 1] + i}.{parts[2]}";
    }

    /// <summary><c>9.weight</c> → <c>enc_2.5.weight</c>: the inverse of <see cref="EncoderKeyToNormalised"/>.</summary>
    public static string NormalisedKeyToEncoder(string key)
    {
        var parts = key.Split('.');
        int index = int.Parse(parts[0]);
        int slice = Array.FindLastIndex(SliceStarts, s => s <= index);
        if (slice >= 4) throw new ArgumentException($"'{key}' lies beyond relu4_1, where CAST's encoder stops.", nameof(key));
        return $"enc_{slice + 1}.{index - SliceStarts[slice]}.{parts[1]}";
    }

    /// <summary>The official AE state dict of an encoder (keys <c>enc_k.i.weight</c>).</summary>
    public static Dictionary<string, Tensor> EncoderStateDict(Vgg19Encoder encoder)
    {
        var names = VggWeightNames.Prefixes(VggWeightLayout.AdaINNormalised);
        var result = new Dictionary<string, Tensor>();
        foreach (var (key, value) in encoder.state_dict())
        {
            // TorchSharp may also list the private field that holds conv0 under its own name; skip such aliases.
            var dot = key.LastIndexOf('.');
            if (names.TryGetValue(key[..dot], out var prefix))
                result[NormalisedKeyToEncoder($"{prefix}{key[dot..]}")] = value;
        }
        return result;
    }

    /// <summary>
    /// A trainable encoder from an official AE state dict (or a vgg_normalised.pth one: both layouts
    /// are accepted). Its input is CAST's [-1, 1] image range (<see cref="CastGenerator.ImageRange"/>).
    /// </summary>
    public static Vgg19Encoder EncoderFromStateDict(IReadOnlyDictionary<string, Tensor> stateDict, string source, bool trainable = true)
    {
        var normalised = stateDict.Keys.Any(k => k.StartsWith("enc_", StringComparison.Ordinal))
            ? stateDict.Where(kv => EncoderKeyToNormalised(kv.Key) is not null).ToDictionary(kv => EncoderKeyToNormalised(kv.Key)!, kv => kv.Value)
            : stateDict.ToDictionary(kv => kv.Key, kv => kv.Value);
        if (!normalised.ContainsKey("0.weight"))
            throw new WeightFileException(source, "is not a CAST encoder: expected keys such as 'enc_1.0.weight' (latest_net_AE.pth) or '0.weight' (vgg_normalised.pth).");
        return Vgg19Encoder.FromStateDict(normalised, CastGenerator.ImageRange, VggPresets.Normalised, source, VggWeightLayout.AdaINNormalised, trainable);
    }

    /// <summary>A decoder state dict with the official <c>decoder.</c> prefix removed (either form loads).</summary>
    public static Dictionary<string, Tensor> DecoderKeys(IReadOnlyDictionary<string, Tensor> stateDict) =>
        stateDict.ToDictionary(kv => kv.Key.StartsWith("decoder.", StringComparison.Ordinal) ? kv.Key["decoder.".Length..] : kv.Key, kv => kv.Value);

    /// <summary>Finds <c>name.pth</c> or <c>name.safetensors</c> in a folder.</summary>
    public static string? Find(string folder, string name) =>
        new[] { ".pth", ".safetensors" }.Select(e => Path.Combine(folder, name + e)).FirstOrDefault(File.Exists);
}
