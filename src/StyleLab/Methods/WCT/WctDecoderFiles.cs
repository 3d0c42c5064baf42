using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Methods.WCT;

/// <summary>
/// Where the five WCT decoders live in a folder: StyleLab's exported files
/// (<c>wct-decoder-relu{k}_1.safetensors</c>), or the converted official ones under their usual names
/// (<c>feature_invertor_conv{k}_1.pth</c> as pietrocarbo/deep-transfer ships them, the official Lua Torch
/// <c>feature_invertor_conv{k}_1.t7</c> of Yijunmaverick/UniversalStyleTransfer,
/// <c>vgg19_normalized_decoder{k}.pth.tar</c> as sunshineatnoon/PytorchWCT does).
/// </summary>
public static class WctDecoderFiles
{
    /// <summary>
    /// The encoder the decoders of a folder were trained with, when StyleLab normalised ImageNet VGG weights
    /// for them (<see cref="VggNormalisation"/>); <c>stylelab wct</c> uses it unless told otherwise.
    /// </summary>
    public const string EncoderFileName = "wct-encoder.safetensors";

    /// <summary>
    /// The encoder for decoders in <paramref name="folder"/>: the saved <see cref="EncoderFileName"/> if there is
    /// one; else <paramref name="imagenet"/> normalised over <paramref name="images"/> (Gatys et al.'s
    /// mean-activation-one scaling, as the official encoders), saved there for the next level and for
    /// stylisation. An encoder that needs no preprocessing (the official <c>vgg_normalised.pth</c>) is already
    /// normalised and is returned as it is.
    /// </summary>
    public static Vgg19Encoder EncoderFor(string folder, Vgg19Encoder imagenet, Func<IEnumerable<Tensor>> images, out bool created)
    {
        created = false;
        string path = Path.Combine(folder, EncoderFileName);
        var device = imagenet.parameters().First().device;
        if (File.Exists(path)) return Vgg19Encoder.Load(path, imagenet.Options, device: device);
        if (imagenet.Preprocessing == Preprocessing.Identity) return imagenet;
        var normalised = VggNormalisation.Normalise(imagenet, images());
        VggNormalisation.Save(normalised, path);
        created = true;
        return normalised;
    }

    /// <summary>The file StyleLab exports the decoder for <paramref name="layer"/> to.</summary>
    public static string FileName(string layer) => $"wct-decoder-{layer}.safetensors";

    /// <summary>The names a decoder for <paramref name="layer"/> (relu{k}_1) is looked for under, in order.</summary>
    public static IReadOnlyList<string> Candidates(string layer)
    {
        var names = new List<string> { FileName(layer), $"wct-decoder-{layer}.pth" };
        if (layer.Length == 7 && layer.StartsWith("relu", StringComparison.Ordinal) && layer.EndsWith("_1", StringComparison.Ordinal))
        {
            char k = layer[4];
            names.Add($"feature_invertor_conv{k}_1.pth");
            names.Add($"feature_invertor_conv{k}_1.t7");
            names.Add($"vgg19_normalized_decoder{k}.pth.tar");
            names.Add($"vgg19_normalized_decoder{k}.pth");
        }
        return names;
    }

    /// <summary>The decoder file for <paramref name="layer"/> in <paramref name="folder"/>, or null.</summary>
    public static string? Find(string folder, string layer) =>
        Candidates(layer).Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    /// <summary>
    /// Loads every decoder of <see cref="WctOptions.PaperLevels"/> found in <paramref name="folder"/>, checking
    /// that each file decodes the layer its name says.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">No decoder is there.</exception>
    public static List<VggDecoder> LoadAll(string folder, Device? device = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Decoder folder '{folder}' does not exist.");
        var decoders = new List<VggDecoder>();
        foreach (var layer in WctOptions.PaperLevels)
        {
            if (Find(folder, layer) is not { } path) continue;
            var decoder = VggDecoder.Load(path, device);
            if (decoder.FromLayer != layer)
            {
                decoder.Dispose();
                throw new WeightFileException(path, $"is a decoder from {decoder.FromLayer}, but its name says {layer}.");
            }
            decoders.Add(decoder);
        }
        if (decoders.Count == 0)
            throw new FileNotFoundException(
                $"No WCT decoder in '{folder}': expected files such as {FileName("relu3_1")} (train one with `stylelab train wct-decoder --level 3`) or feature_invertor_conv3_1.pth.");
        return decoders;
    }

    /// <summary>Writes <paramref name="decoder"/>'s state dict (sequential keys) as safetensors, with its layer in the metadata.</summary>
    public static void Save(VggDecoder decoder, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        var state = decoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu());
        try { SafeTensors.Save(path, state, new Dictionary<string, string> { ["layer"] = decoder.FromLayer, ["model"] = "wct-decoder" }); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }
}
