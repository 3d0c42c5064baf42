using StyleLab.Encoders;

namespace StyleLab.Decoders;

/// <summary>How a state dict names a <see cref="VggDecoder"/>'s convolutions.</summary>
public enum VggDecoderLayout
{
    /// <summary>
    /// A bare <c>nn.Sequential</c> (pad, conv, ReLU, upsample, …) numbered in order: <c>1.weight</c>,
    /// <c>5.weight</c>, …. naoto0804/pytorch-AdaIN's <c>decoder.pth</c>, and the WCT decoders converted
    /// from the official Torch files as pietrocarbo/deep-transfer ships them
    /// (<c>feature_invertor_conv{k}_1.pth</c>). <see cref="VggDecoder"/>'s own state dict uses it.
    /// </summary>
    Sequential,

    /// <summary>
    /// sunshineatnoon/PytorchWCT's <c>modelsNIPS.py</c> <c>decoder1 … decoder5</c> (what its
    /// <c>load_lua</c> of the official <c>feature_invertor_conv{k}_1.t7</c> builds): convolutions named
    /// <c>conv{j}</c>, numbered on from the matching encoder's, so a decoder of n convolutions has
    /// <c>conv{n+2} … conv{2n+1}</c> (decoder4: <c>conv11 … conv19</c>).
    /// </summary>
    WctNips,

    /// <summary>
    /// sunshineatnoon/PytorchWCT's <c>vgg19_decoders.py</c> (its converted
    /// <c>vgg19_normalized_decoder{k}.pth.tar</c>): <c>seq.conv{b}_{i}</c>, each convolution named after
    /// the encoder convolution it mirrors (<c>seq.conv3_1.weight</c> maps 256 → 128 channels).
    /// </summary>
    WctBlocks,
}

/// <summary>Maps a <see cref="VggDecoderLayout"/>'s keys onto <see cref="VggDecoder"/>'s own (sequential) keys.</summary>
public static class VggDecoderWeightNames
{
    /// <summary>
    /// For a decoder whose convolutions are <paramref name="mirrored"/> (deepest first, see
    /// <see cref="VggDecoder.MirroredConvolutions"/>), the external key prefix of each of its own
    /// sequential prefixes (<c>"1"</c> → <c>"conv11"</c>, …).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Prefixes(IReadOnlyList<VggLayer> mirrored, VggDecoderLayout layout)
    {
        var map = new Dictionary<string, string>();
        int index = 0, n = mirrored.Count;
        var previous = mirrored.Count > 0 ? mirrored[0] : null;
        for (int i = 0; i < n; i++)
        {
            var conv = mirrored[i];
            // An upsample stands where the encoder pooled: between convolutions of different blocks.
            if (i > 0 && conv.Block != previous!.Block) index++;
            string own = $"{index + 1}";               // pad at index, conv at index + 1
            map[own] = layout switch
            {
                VggDecoderLayout.Sequential => own,
                VggDecoderLayout.WctNips => $"conv{n + 2 + i}",
                VggDecoderLayout.WctBlocks => $"seq.{conv.Name}",
                _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, null),
            };
            index += conv.Name == "conv1_1" ? 2 : 3;   // pad, conv (, ReLU)
            previous = conv;
        }
        return map;
    }

    /// <summary>Guesses the layout from the keys present.</summary>
    public static VggDecoderLayout Detect(IEnumerable<string> keys)
    {
        var list = keys.ToList();
        if (list.Any(k => k.StartsWith("seq.conv", StringComparison.Ordinal))) return VggDecoderLayout.WctBlocks;
        if (list.Count > 0 && list.All(k => k.StartsWith("conv", StringComparison.Ordinal) && !k.Contains('_'))) return VggDecoderLayout.WctNips;
        return VggDecoderLayout.Sequential;
    }
}
