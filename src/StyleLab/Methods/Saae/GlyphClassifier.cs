using StyleLab.Training;
using StyleLab.Weights;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.Saae;

/// <summary>
/// A small character classifier (k = 36) that judges generated glyphs: three conv–pool stages and a
/// linear layer on the grey-level image, standardised per image so ink and paper colours do not matter.
/// Trained on clean glyphs only (<see cref="CleanGlyphDataset"/>) — the paper's recogniser experiment in
/// miniature; the MNIST Parzen log-likelihood of the paper needs MNIST, which StyleLab cannot download.
/// </summary>
public sealed class GlyphClassifier : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv1, conv2, conv3;
    readonly BatchNorm2d norm1, norm2, norm3;
    readonly Linear fc;

    /// <summary>A classifier of <paramref name="imageSize"/>² glyphs (a multiple of 8).</summary>
    public GlyphClassifier(int imageSize = 32) : base("classifier")
    {
        conv1 = nn.Conv2d(1, 16, 3, padding: 1);
        conv2 = nn.Conv2d(16, 32, 3, padding: 1);
        conv3 = nn.Conv2d(32, 64, 3, padding: 1);
        norm1 = nn.BatchNorm2d(16);
        norm2 = nn.BatchNorm2d(32);
        norm3 = nn.BatchNorm2d(64);
        fc = nn.Linear(64 * (imageSize / 8) * (imageSize / 8), GlyphAlphabet.Count);
        RegisterComponents();
    }

    /// <summary>Logits [B, 36] of images [B,3,S,S] in [0,1].</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var grey = images.mean([1], keepdim: true);
        var x = (grey - grey.mean([1, 2, 3], keepdim: true)) / grey.std([1, 2, 3], keepdim: true).clamp_min(0.02);
        x = F.max_pool2d(F.relu(norm1.forward(conv1.forward(x))), 2);
        x = F.max_pool2d(F.relu(norm2.forward(conv2.forward(x))), 2);
        x = F.max_pool2d(F.relu(norm3.forward(conv3.forward(x))), 2);
        return fc.forward(x.flatten(1)).MoveToOuterDisposeScope();
    }

    /// <summary>The most likely label [B] of each image (evaluation mode, no gradients).</summary>
    public Tensor Predict(Tensor images)
    {
        using var _ = no_grad();
        eval();
        return forward(images).argmax(1);
    }

    /// <summary>
    /// Trains a classifier on clean glyphs of <paramref name="fonts"/> with <see cref="TrainingLoop{TBatch}"/>
    /// (checkpointed at <paramref name="checkpointPath"/> when given); returns it in evaluation mode.
    /// </summary>
    public static GlyphClassifier Train(GlyphFonts fonts, int steps = 300, int imageSize = 32, int seed = 0, string? checkpointPath = null,
        IProgress<TrainingReport>? progress = null, CancellationToken cancellationToken = default)
    {
        random.manual_seed(seed);
        var classifier = new GlyphClassifier(imageSize);
        try
        {
            var trainable = new Trainable(classifier);
            var data = new CleanGlyphDataset(fonts, imageSize: imageSize, seed: seed);
            using var loop = new TrainingLoop<LabelledGlyphs>(trainable, data,
                new TrainingOptions(steps, LearningRate: 2e-3, CheckpointEvery: 0, CheckpointPath: checkpointPath, Seed: seed));
            loop.Run(progress, cancellationToken);
            classifier.eval();
            return classifier;
        }
        catch
        {
            classifier.Dispose();
            throw;
        }
    }

    /// <summary>A classifier saved by <see cref="Train"/>, in evaluation mode.</summary>
    /// <exception cref="WeightFileException">The file is missing, corrupt or not a classifier checkpoint.</exception>
    public static GlyphClassifier Load(string path, int imageSize = 32)
    {
        using var checkpoint = Checkpoint.Load(path);
        var classifier = new GlyphClassifier(imageSize);
        try { StateDicts.CopyInto(classifier, checkpoint.Model, ""); }
        catch (InvalidDataException e)
        {
            classifier.Dispose();
            throw new WeightFileException(path, e.Message, e);
        }
        classifier.eval();
        return classifier;
    }

    sealed class Trainable(GlyphClassifier classifier) : ITrainable<LabelledGlyphs>
    {
        public IReadOnlyList<TrainingPhase<LabelledGlyphs>> Phases { get; } =
            [new("classifier", classifier.parameters().ToList(), batch =>
            {
                classifier.train();
                var ce = F.cross_entropy(classifier.forward(batch.Images), batch.Labels);
                return new LossTerms(ce, new Dictionary<string, Tensor> { ["ce"] = ce });
            })];

        public Dictionary<string, Tensor> StateDict() => classifier.state_dict();

        public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state) => StateDicts.CopyInto(classifier, state, "");
    }
}
