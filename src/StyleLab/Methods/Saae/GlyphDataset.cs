using StyleLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>Which styles a <see cref="GlyphDataset"/> draws: those trained on, or held-out ones.</summary>
public enum GlyphSplit
{
    /// <summary>Training fonts, style seeds of the training stream.</summary>
    Train,
    /// <summary>Seeds of another stream and, with three fonts or more, only fonts never used in training.</summary>
    HeldOut,
}

/// <summary>How <see cref="GlyphDataset"/> makes samples.</summary>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="ImageSize">Glyph side in pixels (exemplars are twice as wide).</param>
/// <param name="Seed">Fixes every style: the same seed gives the same batches.</param>
/// <param name="Split">Training or held-out styles.</param>
public sealed record GlyphDatasetOptions(int BatchSize = 32, int ImageSize = 32, int Seed = 0, GlyphSplit Split = GlyphSplit.Train);

/// <summary>
/// Synthetic characters for SAAE, needing nothing downloaded: content = a clean glyph (A–Z, 0–9) in a
/// plain font; style exemplar = a random 3–5 character word drawn in a random <see cref="GlyphStyle"/>
/// (font, colours, flat/gradient/texture background, blur, noise, slight perspective); target = the
/// content character in that exact style. An endless stream of batches.
/// </summary>
/// <remarks>
/// Sample n's randomness is a pure function of (seed, split, n), so the whole state is a
/// <see cref="BatchPosition"/> (Index = batches served) and a resumed run sees the same batches.
/// </remarks>
public sealed class GlyphDataset : IBatchSource<SaaeBatch>, IDisposable
{
    readonly GlyphRenderer _renderer;
    readonly Device _device;
    readonly IReadOnlyList<int> _fonts;
    readonly Tensor[] _content;

    /// <summary>Samples from <paramref name="fonts"/>; batches are made on <paramref name="device"/> (default CPU).</summary>
    public GlyphDataset(GlyphFonts fonts, GlyphDatasetOptions? options = null, Device? device = null)
    {
        Options = options ?? new GlyphDatasetOptions();
        if (Options.BatchSize < 1 || Options.ImageSize < 8)
            throw new ArgumentOutOfRangeException(nameof(options), Options, "GlyphDatasetOptions needs BatchSize ≥ 1 and ImageSize ≥ 8.");
        _renderer = new GlyphRenderer(fonts);
        _device = device ?? CPU;
        _fonts = Options.Split == GlyphSplit.HeldOut && fonts.HeldOut.Count > 0 ? fonts.HeldOut : fonts.Training;
        // The 36 clean glyphs never change: drawn once.
        int size = Options.ImageSize;
        _content = GlyphAlphabet.Characters
            .Select(c => _renderer.Render(c.ToString(), GlyphStyle.Clean(fonts.PlainIndex), size, size)).ToArray();
    }

    /// <summary>Batch size, image size, seed and split.</summary>
    public GlyphDatasetOptions Options { get; }

    /// <summary>The fonts and the renderer.</summary>
    public GlyphRenderer Renderer => _renderer;

    /// <summary>The fonts this split's styles use.</summary>
    public IReadOnlyList<int> StyleFonts => _fonts;

    /// <inheritdoc/>
    public BatchPosition Position { get; set; }

    /// <summary>The clean content glyph of <paramref name="label"/> [1,3,S,S] (a new tensor).</summary>
    public Tensor ContentGlyph(int label) => _content[label].clone();

    /// <summary>Sample <paramref name="n"/> of this split's stream: its label and style, and the exemplar's word.</summary>
    public (int Label, GlyphStyle Style, string Word) Describe(long n)
    {
        var random = new Random(ImageFolderDataset.Mix(Options.Seed, (int)Options.Split + 1, checked((int)n)));
        int label = random.Next(GlyphAlphabet.Count);
        var word = new string(Enumerable.Range(0, random.Next(3, 6))
            .Select(_ => GlyphAlphabet.Characters[random.Next(GlyphAlphabet.Count)]).ToArray());
        return (label, GlyphStyle.Draw(random, _fonts), word);
    }

    /// <summary>The exemplar [1,3,S,2S] of a style and word.</summary>
    public Tensor Exemplar(GlyphStyle style, string word) =>
        _renderer.Render(word, style, 2 * Options.ImageSize, Options.ImageSize);

    /// <summary>Character <paramref name="label"/> in <paramref name="style"/> [1,3,S,S].</summary>
    public Tensor Styled(int label, GlyphStyle style) =>
        _renderer.Render(GlyphAlphabet.Characters[label].ToString(), style, Options.ImageSize, Options.ImageSize);

    /// <summary>The exemplars of the first <paramref name="count"/> samples of this split's stream [N,3,S,2S].</summary>
    public Tensor Exemplars(int count)
    {
        using var scope = NewDisposeScope();
        return cat(Enumerable.Range(0, count).Select(n => Describe(n)).Select(d => Exemplar(d.Style, d.Word)).ToArray(), 0)
            .MoveToOuterDisposeScope();
    }

    /// <summary>Samples <paramref name="first"/> … <paramref name="first"/>+<paramref name="count"/>−1 as one batch.</summary>
    public SaaeBatch Samples(long first, int count)
    {
        using var scope = NewDisposeScope();
        var content = new List<Tensor>(count);
        var exemplars = new List<Tensor>(count);
        var targets = new List<Tensor>(count);
        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            var (label, style, word) = Describe(first + i);
            labels[i] = label;
            content.Add(_content[label]);
            exemplars.Add(Exemplar(style, word));
            targets.Add(Styled(label, style));
        }
        return new SaaeBatch(
            cat(content, 0).to(_device).MoveToOuterDisposeScope(),
            cat(exemplars, 0).to(_device).MoveToOuterDisposeScope(),
            cat(targets, 0).to(_device).MoveToOuterDisposeScope(),
            tensor(labels, ScalarType.Int64).to(_device).MoveToOuterDisposeScope());
    }

    /// <inheritdoc/>
    public SaaeBatch NextBatch()
    {
        long first = (long)Position.Index * Options.BatchSize;
        var batch = Samples(first, Options.BatchSize);
        Position = Position with { Index = Position.Index + 1 };
        return batch;
    }

    /// <summary>Releases the cached content glyphs.</summary>
    public void Dispose()
    {
        foreach (var glyph in _content) glyph.Dispose();
    }
}
