using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>
/// Scores a generator on held-out styles (<see cref="GlyphSplit.HeldOut"/>): how often a classifier trained
/// on clean glyphs recognises the intended character in the generated glyph, and the L1 reconstruction
/// error against the true target. The paper's MNIST Parzen-window log-likelihood is not reproduced: it
/// needs MNIST, which is not available offline.
/// </summary>
public static class SaaeEvaluation
{
    /// <summary>Judges the first <paramref name="samples"/> samples of <paramref name="heldOut"/>'s stream, in batches.</summary>
    public static SaaeScore Evaluate(SaaeGenerator generator, GlyphClassifier classifier, GlyphDataset heldOut,
        int samples = 360, int batchSize = 60, CancellationToken cancellationToken = default)
    {
        var device = generator.parameters().First().device;
        classifier.to(device);
        long recognised = 0, targetsRecognised = 0;
        double l1 = 0;
        generator.Inference(() =>
        {
            for (int first = 0; first < samples; first += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var batch = heldOut.Samples(first, Math.Min(batchSize, samples - first));
                var (content, exemplar, target, labels) = (batch.Content.to(device), batch.Exemplar.to(device), batch.Target.to(device), batch.Labels.to(device));
                var generated = generator.forward(content, exemplar);
                recognised += classifier.Predict(generated).eq(labels).sum().item<long>();
                targetsRecognised += classifier.Predict(target).eq(labels).sum().item<long>();
                l1 += (generated - target).abs().mean([1, 2, 3]).sum().item<float>();
            }
            return 0;
        });
        return new SaaeScore(samples, (double)recognised / samples, (double)targetsRecognised / samples, l1 / samples);
    }
}
