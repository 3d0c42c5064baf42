using TorchSharp;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Encoders;

/// <summary>
/// The "normalised" VGG-19 of Gatys et al. (2016, §2: "we normalized the network by scaling the weights
/// such that the mean activation of each convolutional filter over images and positions is equal to one"),
/// from which the official AdaIN/WCT <c>vgg_normalised</c> encoders were made. Because ReLU and max pooling
/// commute with positive scaling, each filter's output can be divided by its mean activation and the next
/// convolution's input weights multiplied by it: every layer's features are rescaled per channel and nothing
/// else changes. Features then have a magnitude of about one at every depth, as decoders trained on the
/// official encoder expect; ImageNet VGG's raw Caffe-scale activations reach the hundreds.
/// </summary>
public static class VggNormalisation
{
    /// <summary>
    /// A copy of <paramref name="encoder"/> whose every ReLU layer has mean activation 1 per channel over
    /// <paramref name="images"/> (RGB [N,3,H,W] in [0,1]; each tensor may have its own size). Channels that
    /// never fire keep their scale. The result has the encoder's preprocessing and options.
    /// </summary>
    public static Vgg19Encoder Normalise(Vgg19Encoder encoder, IEnumerable<Tensor> images, string? source = null)
    {
        var convs = VggLayers.Convolutions.Where(c => c.Index <= encoder.DeepestLayer.Index).ToList();
        var relus = convs.Select(c => VggLayers.All[c.Index + 1].Name).ToList();
        using var scope = NewDisposeScope();
        var sums = new Tensor?[relus.Count];
        double positions = 0;
        using (no_grad())
        {
            foreach (var image in images)
            {
                using var features = encoder.Encode(image, relus);
                for (int i = 0; i < relus.Count; i++)
                {
                    var f = features[relus[i]];
                    // Σ over images and positions, weighted so every pixel of every image counts the same.
                    var sum = f.to(ScalarType.Float64).sum([0, 2, 3]) * ((double)image.shape[2] * image.shape[3] / (f.shape[2] * f.shape[3]));
                    sums[i] = sums[i] is null ? sum : sums[i]! + sum;
                }
                positions += (double)image.shape[0] * image.shape[2] * image.shape[3];
            }
        }
        if (positions == 0) throw new ArgumentException("Normalising VGG-19 needs at least one image.", nameof(images));
        var means = sums.Select(s => s! / positions).Select(m => where(m > 1e-12, m, ones_like(m))).ToList();

        var state = encoder.state_dict();
        var normalised = new Dictionary<string, Tensor>();
        foreach (var (key, value) in state) normalised[key] = value.detach().clone();
        for (int i = 0; i < convs.Count; i++)
        {
            var outScale = means[i];
            var weight = normalised[$"{convs[i].Name}.weight"].to(ScalarType.Float64) / outScale.view(-1, 1, 1, 1);
            if (i > 0) weight = weight * means[i - 1].view(1, -1, 1, 1);
            normalised[$"{convs[i].Name}.weight"] = weight.to(ScalarType.Float32);
            normalised[$"{convs[i].Name}.bias"] = (normalised[$"{convs[i].Name}.bias"].to(ScalarType.Float64) / outScale).to(ScalarType.Float32);
        }
        var result = Vgg19Encoder.FromStateDict(normalised, encoder.Preprocessing, encoder.Options,
            source ?? $"{encoder.Source} (normalised)", VggWeightLayout.Named);
        var device = state.Values.First().device;
        result.to(device);
        return result;
    }

    /// <summary>Whether the encoder folds its preprocessing into a leading 1×1 conv, as the official <c>vgg_normalised.pth</c> (already normalised).</summary>
    public static bool IsOfficialNormalised(Vgg19Encoder encoder) => encoder.state_dict().ContainsKey("conv0.weight");

    /// <summary>Saves an encoder's weights (StyleLab's named layout) with its preprocessing in the metadata, so <see cref="Vgg19Encoder.Load"/> restores it.</summary>
    public static void Save(Vgg19Encoder encoder, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        var state = encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu());
        try { SafeTensors.Save(path, state, new Dictionary<string, string> { ["preprocessing"] = encoder.Preprocessing.Name }); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }
}
