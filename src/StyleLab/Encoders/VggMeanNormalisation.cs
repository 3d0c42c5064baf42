using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Encoders;

/// <summary>
/// Gatys et al.'s "normalised" VGG-19 (2016, §2): every convolution's weights and bias rescaled so each
/// channel's mean activation over a set of images is 1. ReLU networks are positively homogeneous, so
/// the features are those of the original network, divided per channel by their mean — the same
/// directions, on a scale of about 1 at every layer. AdaIN's and SANet's <c>vgg_normalised.pth</c> is
/// this network; StyleLab applies it to VGG weights that lack it (../shared's partial Caffe VGG, whose
/// relu3_1 activations are in the hundreds), so losses of several layers weigh alike as in the official code.
/// </summary>
public static class VggMeanNormalisation
{
    /// <summary>
    /// A copy of <paramref name="encoder"/> with mean-normalised convolutions, measured on <paramref name="images"/>
    /// ([N,3,H,W] in [0,1]). Channels that never fire on them keep their scale.
    /// </summary>
    public static Vgg19Encoder Normalise(Vgg19Encoder encoder, Tensor images)
    {
        var normalised = NormaliseCore(encoder, images);
        return normalised;
    }

    /// <summary>Whether the encoder already folds its preprocessing into a leading 1×1 conv, as <c>vgg_normalised.pth</c> (which is normalised).</summary>
    public static bool IsAdaINNormalised(Vgg19Encoder encoder) => encoder.state_dict().ContainsKey("conv0.weight");

    /// <summary>Saves an encoder (e.g. a normalised one) as safetensors with its preprocessing, for <see cref="Vgg19Encoder.Load"/>.</summary>
    public static void Save(Vgg19Encoder encoder, string path) =>
        Weights.SafeTensors.Save(path, encoder.state_dict(), new Dictionary<string, string> { ["preprocessing"] = encoder.Preprocessing.Name, ["source"] = encoder.Source });

    static Vgg19Encoder NormaliseCore(Vgg19Encoder encoder, Tensor images)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var convs = encoder.SupportedLayers.Where(l => l.Kind == VggLayerKind.Conv).ToList();
        var relus = convs.Select(c => VggLayers.All[c.Index + 1].Name).ToList();
        var means = new Dictionary<string, Tensor>();
        using (var outputs = encoder.Encode(images, relus))
            for (int i = 0; i < convs.Count; i++)
            {
                var m = outputs[relus[i]].mean([0, 2, 3]);
                means[convs[i].Name] = where(m > 1e-6, m, ones_like(m)).cpu();
            }

        var state = new Dictionary<string, Tensor>();
        foreach (var (key, value) in encoder.state_dict()) state[key] = value.detach().cpu().clone();
        var previous = ones(3);
        foreach (var conv in convs)
        {
            var m = means[conv.Name];
            state[conv.Name + ".weight"] = state[conv.Name + ".weight"] * previous.view(1, -1, 1, 1) / m.view(-1, 1, 1, 1);
            state[conv.Name + ".bias"] = state[conv.Name + ".bias"] / m;
            previous = m;
        }
        var normalised = Vgg19Encoder.FromStateDict(state, encoder.Preprocessing, encoder.Options, encoder.Source + " (mean-normalised)", VggWeightLayout.Named);
        normalised.to(images.device);
        return normalised;
    }
}
