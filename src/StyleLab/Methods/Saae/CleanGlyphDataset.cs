using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>
/// Clean characters for training <see cref="GlyphClassifier"/>: every font, one flat ink colour on one flat
/// background colour (either may be the lighter), upright, sharp and noise-free, at a random size. No
/// texture, gradient, blur, noise or perspective — those are what the classifier must see through in
/// generated images, so it never trains on them. Sample n is a pure function of (seed, n).
/// </summary>
public sealed class CleanGlyphDataset(GlyphFonts fonts, int batchSize = 64, int imageSize = 32, int seed = 0) : IBatchSource<LabelledGlyphs>
{
    readonly GlyphRenderer _renderer = new(fonts);
    readonly int[] _fonts = Enumerable.Range(0, fonts.Count).ToArray();

    /// <inheritdoc/>
    public BatchPosition Position { get; set; }

    /// <inheritdoc/>
    public LabelledGlyphs NextBatch()
    {
        using var scope = NewDisposeScope();
        var images = new Tensor[batchSize];
        var labels = new long[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            var random = new Random(ImageFolderDataset.Mix(seed, 0x0C1A55, checked(Position.Index * batchSize + i)));
            int label = random.Next(GlyphAlphabet.Count);
            var style = GlyphStyle.Draw(random, _fonts) with
            {
                Background = GlyphBackground.Flat, Rotation = 0, Skew = 0, PerspectiveX = 0, PerspectiveY = 0, Blur = 0, Noise = 0,
            };
            labels[i] = label;
            images[i] = _renderer.Render(GlyphAlphabet.Characters[label].ToString(), style, imageSize, imageSize);
        }
        Position = Position with { Index = Position.Index + 1 };
        return new LabelledGlyphs(cat(images, 0).MoveToOuterDisposeScope(), tensor(labels, ScalarType.Int64).MoveToOuterDisposeScope());
    }
}
