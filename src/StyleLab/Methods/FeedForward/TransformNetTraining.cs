using System.Diagnostics;
using StyleLab.Encoders;
using StyleLab.Losses;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.FeedForward;

/// <summary>
/// Trains a <see cref="TransformNet"/> for one style with the perceptual losses of Johnson et al.
/// (2016, §3): features of a fixed VGG encoder compare the network's output with the content photo
/// (one layer) and with the style image (Gram matrices at several layers), plus total variation.
/// Deliberately small: one loop over the caller's content batches, one Adam step each.
/// </summary>
public static class TransformNetTraining
{
    /// <summary>
    /// One Adam step per content batch ([N,3,H,W] in [0,1]; the caller decides how many, e.g. 40 000
    /// batches of four 256² COCO crops in the paper). <paramref name="style"/> is the style image
    /// [1,3,h,w] in [0,1]. The network is trained in place, on the encoder's device. Returns the last report.
    /// </summary>
    public static TransformNetTrainingReport? Train(
        TransformNet network,
        Vgg19Encoder encoder,
        Tensor style,
        IEnumerable<Tensor> contentBatches,
        TransformNetTrainingOptions? options = null,
        IProgress<TransformNetTrainingReport>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new TransformNetTrainingOptions();
        var device = encoder.parameters().First().device;
        var styleLayers = (options.StyleLayers ?? TransformNetTrainingOptions.PaperStyleLayers)
            .Where(l => VggLayers.Get(l).Index <= encoder.DeepestLayer.Index).ToList();
        encoder.Require(options.ContentLayer);
        if (styleLayers.Count == 0)
            throw new ArgumentException($"None of the style layers is within {encoder.Source}, which reaches {encoder.DeepestLayer.Name}.", nameof(options));

        var styleLosses = StyleTargets(encoder, style.to(device), styleLayers);
        var totalVariation = new TotalVariationLoss();
        var layers = styleLayers.Append(options.ContentLayer).Distinct().ToList();
        network.to(device);
        network.train();
        using var adam = optim.Adam(network.parameters(), options.LearningRate);
        var clock = Stopwatch.StartNew();
        TransformNetTrainingReport? last = null;
        try
        {
            int step = 0;
            foreach (var batch in contentBatches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var content = batch.to(device);
                double images = content.shape[0];

                Tensor target;
                using (no_grad()) using (var encoded = encoder.Encode(content, [options.ContentLayer]))
                    target = encoded[options.ContentLayer].alias();
                using var contentLoss = new ContentLoss(target);

                var output = network.forward(content);
                using var features = encoder.Encode(output, layers);
                var phi = features[options.ContentLayer];
                // ContentLoss is ½ Σ (F − P)²; Johnson's ℓ_feat is the mean: × 2 / (N C H W).
                var contentTerm = options.ContentWeight * 2 * contentLoss.Forward(phi) / phi.numel();
                // GramStyleLoss is ¼ Σ (G/(HW) − A/(HW))² / C² summed over the batch, i.e. ¼ of Johnson's
                // ℓ_style with Gram matrices normalised by C·H·W; per image.
                var styleTerm = options.StyleWeight * 4 / images * styleLosses.Select((loss, i) => loss.Forward(features[styleLayers[i]])).Aggregate((a, b) => a + b);
                var tvTerm = options.TotalVariationWeight * (TransformNet.PixelScale * TransformNet.PixelScale) / images * totalVariation.Forward(output);
                var total = contentTerm + styleTerm + tvTerm;

                adam.zero_grad();
                if (!double.IsFinite(total.item<float>()))
                    throw Diverged(step, $"the loss is {total.item<float>()}");
                total.backward();
                // A finite loss can still have NaN gradients (a miscomputing convolution): they must not reach Adam.
                var gradients = network.named_parameters().Where(p => p.parameter.grad is not null)
                    .Select(p => KeyValuePair.Create(p.name, p.parameter.grad!));
                if (NonFiniteValues.Find(gradients) is var (name, count))
                    throw Diverged(step, $"the gradient of '{name}' holds {count} NaN or infinite value(s)");
                adam.step();

                last = new TransformNetTrainingReport(++step, new Dictionary<string, double>
                {
                    ["content"] = contentTerm.item<float>(),
                    ["style"] = styleTerm.item<float>(),
                    ["tv"] = tvTerm.item<float>(),
                    ["total"] = total.item<float>(),
                }, styleLayers, clock.Elapsed);
                progress?.Report(last);
            }
        }
        finally
        {
            network.eval();
            foreach (var loss in styleLosses) loss.Dispose();
        }
        return last;
    }

    static InvalidOperationException Diverged(int step, string what) => new(
        $"Training diverged at step {step + 1}: {what}; nothing of that step was applied, the network holds step {step}'s weights. " +
        "Try a lower learning rate, or run `stylelab info` to check this CPU's numerics.");

    static List<GramStyleLoss> StyleTargets(Vgg19Encoder encoder, Tensor style, IReadOnlyList<string> layers)
    {
        using var noGrad = no_grad();
        using var features = encoder.Encode(style, layers);
        return layers.Select(l => new GramStyleLoss(features[l])).ToList();
    }
}
