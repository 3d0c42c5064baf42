using StyleLab.Encoders;
using StyleLab.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Gatys;

/// <summary>
/// The objective of eq. 7, <c>α L_content + β L_style (+ TV)</c>, for one content image, one style
/// image and one image size (a pyramid level). Every target — content features, style Gram
/// matrices, masks at each layer's resolution — is computed once, here; <see cref="Evaluate"/> then
/// costs one forward pass of the image being optimised.
/// </summary>
internal sealed class GatysObjective : IDisposable
{
    readonly Vgg19Encoder _encoder;
    readonly GatysOptions _options;
    readonly string[] _layers;
    readonly List<(string Layer, double Weight, ContentLoss Loss)> _content = new();
    readonly List<(string Layer, double Weight, GramStyleLoss Loss, Tensor? Mask)> _style = new();
    readonly TotalVariationLoss _tv = new();
    readonly (Tensor Previous, Tensor Weights, double Scale)? _temporal;

    public GatysObjective(Vgg19Encoder encoder, Tensor content, Tensor style, GatysOptions options, GatysMasks? masks, GatysTemporal? temporal = null)
    {
        _encoder = encoder;
        _options = options;
        _layers = options.Layers.ToArray();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            // The content image is encoded at every layer: its activations give the optimised image's
            // layer sizes, at which the output masks are resized once.
            using var contentFeatures = encoder.Encode(content, _layers);
            using var styleFeatures = encoder.Encode(style, options.StyleLayers.Keys);
            foreach (var (layer, weight) in options.ContentLayers)
                _content.Add((layer, weight, new ContentLoss(contentFeatures[layer])));
            foreach (var (layer, weight) in options.StyleLayers)
            {
                if (masks is null)
                {
                    _style.Add((layer, weight, new GramStyleLoss(styleFeatures[layer]), null));
                    continue;
                }
                // One guided Gram loss per region: region k of the output against region k of the style.
                for (int k = 0; k < masks.Content.Count; k++)
                {
                    var outputMask = Gram.ResizeMask(masks.Content[k], contentFeatures[layer]).DetachFromDisposeScope();
                    _style.Add((layer, weight, new GramStyleLoss(styleFeatures[layer], masks.Style[k]), outputMask));
                }
            }
            if (temporal is not null)
            {
                // Ruder et al. weigh means (content MSE, temporal mean over pixels in 0–255); StyleLab's content loss is
                // ½ Σ over the first content layer's features, so γ is scaled by ½·N_features and the pixels by 255².
                long features = options.ContentLayers.Count > 0 ? contentFeatures[options.ContentLayers.Keys.First()].numel() : 2;
                double scale = options.ContentWeight * temporal.Weight * 0.5 * features * 255.0 * 255.0;
                long h = content.shape[2], w = content.shape[3];
                var previous = Imaging.Resampling.Resize(temporal.Previous.to(content.device), (int)w, (int)h).DetachFromDisposeScope();
                var weights = nn.functional.interpolate(temporal.Weights.to(content.device).to(content.dtype), [h, w], mode: InterpolationMode.Nearest).DetachFromDisposeScope();
                _temporal = (previous, weights, scale);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// The total loss of <paramref name="image"/> (differentiable) and its weighted terms, named as in
    /// <see cref="GatysReport.Losses"/>. Call inside a dispose scope: everything returned belongs to it.
    /// </summary>
    public (Tensor Total, List<(string Name, Tensor Value)> Terms) Evaluate(Tensor image)
    {
        var terms = new List<(string Name, Tensor Value)>();
        using var features = _encoder.Encode(image, _layers);

        var contentTerms = _content.Select(c => ($"content:{c.Layer}", c.Loss.Forward(features[c.Layer]) * (_options.ContentWeight * c.Weight))).ToList();
        // Eq. 5: L_style = Σ_l w_l E_l; with masks, E_l sums over the regions.
        var styleTerms = _style.GroupBy(s => s.Layer).Select(layer => ($"style:{layer.Key}",
            Sum(layer.Select(s => s.Loss.Forward(features[s.Layer], s.Mask) * (_options.StyleWeight * s.Weight)), image))).ToList();
        var content = Sum(contentTerms.Select(t => t.Item2), image);
        var style = Sum(styleTerms.Select(t => t.Item2), image);
        var tv = _options.TvWeight == 0 ? zeros(Array.Empty<long>(), image.dtype, image.device) : _tv.Forward(image) * _options.TvWeight;

        terms.Add(("content", content));
        terms.Add(("style", style));
        terms.Add(("tv", tv));
        if (_temporal is { } t)
        {
            // L_temporal = (1/D) Σ_k c_k (x_k − ω_k)², D = the number of pixel values.
            var temporal = (t.Weights * (image - t.Previous).square()).mean() * t.Scale;
            terms.Add(("temporal", temporal));
            return (content + style + tv + temporal, terms);
        }
        terms.AddRange(contentTerms);
        terms.AddRange(styleTerms);
        return (content + style + tv, terms);
    }

    static Tensor Sum(IEnumerable<Tensor> scalars, Tensor like)
    {
        var list = scalars.ToList();
        return list.Count == 0 ? zeros(Array.Empty<long>(), like.dtype, like.device) : stack(list).sum();
    }

    public void Dispose()
    {
        foreach (var (_, _, loss) in _content) loss.Dispose();
        foreach (var (_, _, loss, mask) in _style)
        {
            loss.Dispose();
            mask?.Dispose();
        }
        _content.Clear();
        _style.Clear();
        if (_temporal is { } t)
        {
            t.Previous.Dispose();
            t.Weights.Dispose();
        }
    }
}
