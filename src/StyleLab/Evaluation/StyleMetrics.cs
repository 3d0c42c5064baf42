using StyleLab.Encoders;
using StyleLab.Losses;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Evaluation;

/// <summary>
/// How a stylised image relates to its content and style, measured the same way for every method with one
/// VGG-19: the content loss (mean squared feature difference at <paramref name="ContentLayer"/>), the Gram style
/// loss of Gatys et al. (eq. 4, averaged over <paramref name="StyleLayers"/>), the mean/std style loss of AdaIN
/// (eq. 12, summed over the same layers) and SSIM to the content.
/// </summary>
public sealed record StyleMetrics(double ContentLoss, double GramLoss, double MeanStdLoss, double SsimToContent,
    string ContentLayer, IReadOnlyList<string> StyleLayers)
{
    /// <summary>The first of relu4_1 … that <paramref name="encoder"/> reaches, the content layer (as <see cref="Methods.Gatys.GatysOptions.For"/>).</summary>
    public static string ContentLayerOf(Vgg19Encoder encoder) => Methods.Gatys.GatysOptions.For(encoder).ContentLayers.Keys.First();

    /// <summary>relu1_1, relu2_1, … as deep as <paramref name="encoder"/> reaches.</summary>
    public static IReadOnlyList<string> StyleLayersOf(Vgg19Encoder encoder) =>
        NormalisedVgg.FirstReluLayers.Where(l => VggLayers.Get(l).Index <= encoder.DeepestLayer.Index).ToList();

    /// <summary>Measures <paramref name="output"/> against <paramref name="content"/> (same size) and <paramref name="style"/> ([1,3,h,w], any size).</summary>
    public static StyleMetrics Measure(Vgg19Encoder encoder, Tensor output, Tensor content, Tensor style)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        string contentLayer = ContentLayerOf(encoder);
        var styleLayers = StyleLayersOf(encoder);
        var layers = styleLayers.Append(contentLayer).Distinct().ToList();
        using var o = encoder.Encode(output, layers);
        using var c = encoder.Encode(content, [contentLayer]);
        using var s = encoder.Encode(style, styleLayers);
        double contentLoss = F.mse_loss(o[contentLayer], c[contentLayer]).item<float>();
        double gram = 0, meanStd = 0;
        foreach (var layer in styleLayers)
        {
            using var loss = new GramStyleLoss(s[layer].expand(o[layer].shape[0], -1, -1, -1));
            gram += loss.Forward(o[layer]).item<float>() / styleLayers.Count;
            meanStd += MeanStdStyleLoss.Compute(o[layer], s[layer].expand(o[layer].shape[0], -1, -1, -1)).item<float>();
        }
        return new StyleMetrics(contentLoss, gram, meanStd, Ssim.Compute(output, content), contentLayer, styleLayers);
    }
}
