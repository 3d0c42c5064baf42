using StyleLab.Methods.Saae;
using StyleLab.Training;

namespace StyleLab.Tests.Saae;

/// <summary>The machine's fonts, found once for all SAAE tests (finding them renders every font).</summary>
public sealed class FontsFixture : IDisposable
{
    public GlyphFonts Fonts { get; } = GlyphFonts.Find();

    public void Dispose() => Fonts.Dispose();
}

/// <summary>Sizes small enough that a training step takes milliseconds.</summary>
static class Tiny
{
    public static readonly SaaeOptions Model = new(ImageSize: 16, Channels: 8);

    public static GlyphDatasetOptions Data(int seed = 0, GlyphSplit split = GlyphSplit.Train) => new(BatchSize: 6, ImageSize: 16, Seed: seed, Split: split);
}

/// <summary>The same batch over and over (a copy each time: the loop disposes what it takes).</summary>
sealed class FixedBatch(SaaeBatch batch) : IBatchSource<SaaeBatch>
{
    public BatchPosition Position { get; set; }

    public SaaeBatch NextBatch() => new(batch.Content.clone(), batch.Exemplar.clone(), batch.Target.clone(), batch.Labels.clone());
}

/// <summary>One phase of a model on its own, to see what one of its updates does.</summary>
sealed class OnePhase(ITrainable<SaaeBatch> model, int phase) : ITrainable<SaaeBatch>
{
    public IReadOnlyList<TrainingPhase<SaaeBatch>> Phases { get; } = [model.Phases[phase]];

    public Dictionary<string, TorchSharp.torch.Tensor> StateDict() => model.StateDict();

    public void LoadStateDict(IReadOnlyDictionary<string, TorchSharp.torch.Tensor> state) => model.LoadStateDict(state);
}
