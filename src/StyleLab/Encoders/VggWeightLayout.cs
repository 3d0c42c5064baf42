namespace StyleLab.Encoders;

/// <summary>How a state dict names VGG-19's convolutions.</summary>
public enum VggWeightLayout
{
    /// <summary>StyleLab's own names: <c>conv1_1.weight</c>, and <c>conv0.weight</c> for a leading 1×1 conv.</summary>
    Named,
    /// <summary>torchvision: <c>features.{index}.weight</c> with the index of the 37-layer sequence.</summary>
    Torchvision,
    /// <summary>
    /// AdaIN's <c>vgg_normalised.pth</c> (naoto0804/pytorch-AdaIN, also SANet): a bare
    /// <c>nn.Sequential</c> of a 1×1 conv, then for each 3×3 conv a reflection pad, the conv and a ReLU,
    /// and the pools, numbered in that order (<c>0.weight</c>, <c>2.weight</c>, <c>5.weight</c>, …).
    /// </summary>
    AdaINNormalised,
}

/// <summary>Maps external state-dict names onto <see cref="Vgg19Encoder"/>'s named convolutions.</summary>
public static class VggWeightNames
{
    /// <summary>The external key prefix (without ".weight"/".bias") for each named conv in a layout.</summary>
    public static IReadOnlyDictionary<string, string> Prefixes(VggWeightLayout layout)
    {
        var map = new Dictionary<string, string>();
        switch (layout)
        {
            case VggWeightLayout.Named:
                map["conv0"] = "conv0";
                foreach (var conv in VggLayers.Convolutions) map[conv.Name] = conv.Name;
                break;
            case VggWeightLayout.Torchvision:
                foreach (var conv in VggLayers.Convolutions) map[conv.Name] = $"features.{conv.Index}";
                break;
            case VggWeightLayout.AdaINNormalised:
                int index = 0;
                map["conv0"] = $"{index++}";
                foreach (var layer in VggLayers.All)
                {
                    switch (layer.Kind)
                    {
                        case VggLayerKind.Conv: index++; map[layer.Name] = $"{index++}"; break; // pad, then conv
                        case VggLayerKind.Relu:
                        case VggLayerKind.Pool: index++; break;
                    }
                }
                break;
        }
        return map;
    }

    /// <summary>Guesses the layout from the keys present.</summary>
    public static VggWeightLayout Detect(IEnumerable<string> keys)
    {
        var set = keys.ToHashSet();
        if (set.Contains("conv1_1.weight")) return VggWeightLayout.Named;
        if (set.Contains("features.0.weight")) return VggWeightLayout.Torchvision;
        if (set.Contains("0.weight") && set.Contains("2.weight")) return VggWeightLayout.AdaINNormalised;
        throw new ArgumentException(
            "These weights do not look like VGG-19: expected keys such as 'features.0.weight' (torchvision), " +
            "'0.weight' (AdaIN vgg_normalised) or 'conv1_1.weight'.");
    }
}
