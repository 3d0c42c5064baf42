using StyleLab.Decoders;
using StyleLab.Encoders;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// What a weight file holds, told from its tensors' names and shapes rather than its file name (official
/// files are often renamed, or come out of archives under arbitrary names): which manifest ids it can be,
/// and a sentence saying what was found.
/// </summary>
/// <param name="Description">What the tensors are, e.g. "VGG-19 decoder from relu3_1 (9 convolutions)".</param>
/// <param name="Candidates">Manifest ids with this content; several when only a hash or the container tells them apart.</param>
public sealed record WeightRecognition(string Description, IReadOnlyList<string> Candidates)
{
    /// <summary>Recognises a state dict (see <see cref="StateDictFile"/>) by its key layout and shapes.</summary>
    public static WeightRecognition Of(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        var keys = stateDict.Keys.ToList();
        if (keys.Contains("sanet4_1.f.weight") && keys.Contains("merge_conv.weight"))
            return new("SANet transformer (sanet4_1, sanet5_1, merge_conv)", ["sanet-transformer"]);
        if (keys.Any(k => k.StartsWith("enc_1.", StringComparison.Ordinal)))
            return new("CAST encoder (enc_1 … enc_4)", ["cast-ae"]);
        if (keys.Count > 0 && keys.All(k => k.StartsWith("decoder.", StringComparison.Ordinal)))
            return new("CAST decoder (Dec_A and Dec_B have the same shapes)", ["cast-dec-a", "cast-dec-b"]);
        if (Vgg(stateDict) is { } vgg) return vgg;
        if (Decoder(stateDict) is { } decoder) return decoder;
        return new($"not a model StyleLab recognises ({keys.Count} tensors, e.g. {string.Join(", ", keys.Order(StringComparer.Ordinal).Take(3))})", []);
    }

    static WeightRecognition? Vgg(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        VggWeightLayout layout;
        try { layout = VggWeightNames.Detect(stateDict.Keys); }
        catch (ArgumentException) { return null; }
        var names = VggWeightNames.Prefixes(layout);
        // Every convolution present must have VGG-19's shape, or this is another network numbered alike.
        var present = VggLayers.Convolutions.TakeWhile(c => stateDict.TryGetValue(names[c.Name] + ".weight", out var w)
            && w.shape.SequenceEqual(new long[] { c.OutChannels, c.InChannels, 3, 3 })).ToList();
        if (present.Count == 0) return null;
        var last = present[^1];
        string depth = $"{present.Count} convolutions, conv1_1 … {last.Name}";
        switch (layout)
        {
            case VggWeightLayout.Torchvision:
                return present.Count == VggLayers.Convolutions.Count()
                    ? new($"VGG-19 in torchvision names ({depth})", ["vgg19-torchvision", "vgg19-caffe"])
                    : last.Name == "conv3_4"
                        ? new($"partial VGG-19 in torchvision names ({depth})", ["vgg19-caffe-partial"])
                        : new($"partial VGG-19 in torchvision names ({depth}); no manifest entry stops there", []);
            case VggWeightLayout.AdaINNormalised:
                if (!stateDict.TryGetValue("0.weight", out var conv0) || !conv0.shape.SequenceEqual(new long[] { 3, 3, 1, 1 })) return null;
                return present.Count == VggLayers.Convolutions.Count()
                    ? new($"normalised VGG-19 of AdaIN/SANet ({depth})", ["adain-vgg-normalised", "sanet-vgg"])
                    : last.Name == "conv5_1"
                        ? new($"normalised VGG-19 of WCT up to relu5_1 ({depth})", ["wct-vgg"])
                        : new($"normalised VGG-19 up to {last.Name} (a WCT per-level encoder; the manifest keeps only the conv5_1 one, which serves every level)", []);
            default:
                return new($"VGG-19 in StyleLab's own names ({depth}); not an official file", []);
        }
    }

    static WeightRecognition? Decoder(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        VggDecoder decoder;
        try { decoder = VggDecoder.FromStateDict(stateDict); }
        catch (Exception e) when (e is WeightFileException or KeyNotFoundException or ArgumentException) { return null; }
        using (decoder)
        {
            string layer = decoder.FromLayer;
            string description = $"VGG decoder from {layer} ({decoder.MirroredConvolutions.Count} convolutions)";
            if (layer == "relu4_1") return new(description + "; AdaIN's, SANet's and WCT's level-4 decoders have these shapes", ["adain-decoder", "sanet-decoder", "wct-decoder4"]);
            if (layer is ['r', 'e', 'l', 'u', var k and >= '1' and <= '5', '_', '1']) return new(description, [$"wct-decoder{k}"]);
            return new(description + "; no manifest entry decodes that layer", []);
        }
    }

    /// <summary>
    /// The one candidate left after the tie-breakers: a candidate whose published hash the file has; else the
    /// candidates published in the file's container format (AdaIN's decoder is a legacy .pth, SANet's a zip
    /// .pth, WCT's a .t7); last, among those, the one published under <paramref name="fileName"/> (CAST's
    /// Dec_A and Dec_B differ in nothing else). Null when none or several remain.
    /// </summary>
    public string? Resolve(WeightRegistry registry, string sha256, WeightFormat? format, string? fileName = null)
    {
        var entries = Candidates.Where(c => registry.TryGet(c, out _)).Select(registry.Get).ToList();
        var byHash = entries.Where(e => e.ExpectedHash.IsKnown && e.ExpectedHash.Accepts(sha256)).ToList();
        if (byHash.Count == 1) return byHash[0].Id;
        if (entries.Count == 1) return entries[0].Id;
        var byFormat = entries.Where(e => e.Format == format).ToList();
        if (byFormat.Count == 1) return byFormat[0].Id;
        var byName = (byFormat.Count > 0 ? byFormat : entries)
            .Where(e => string.Equals(Path.GetFileName(e.File), fileName, StringComparison.OrdinalIgnoreCase)).ToList();
        return byName.Count == 1 ? byName[0].Id : null;
    }
}
