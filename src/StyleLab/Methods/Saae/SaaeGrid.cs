using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>
/// The pictures of SAAE as image tensors [1,3,H,W]: the content × style grid (exemplars along the top,
/// clean content glyphs down the left, each cell the content in that style) and a style-interpolation strip.
/// Cells are <c>S × 2S</c> (an exemplar's size); glyphs sit in the middle on white.
/// </summary>
public static class SaaeGrid
{
    const int Gap = 2;

    /// <summary>
    /// Every character of <paramref name="characters"/> in the style of every exemplar of
    /// <paramref name="exemplars"/> [N,3,S,2S]; the first row shows the exemplars, the first column the content.
    /// </summary>
    public static Tensor ContentByStyle(SaaeGenerator generator, GlyphDataset data, string characters, Tensor exemplars)
    {
        return generator.Inference(() => ContentByStyleCore(generator, data, characters, exemplars));
    }

    static Tensor ContentByStyleCore(SaaeGenerator generator, GlyphDataset data, string characters, Tensor exemplars)
    {
        using var scope = NewDisposeScope();
        var device = generator.parameters().First().device;
        var styles = generator.EncodeStyle(exemplars.to(device));
        int n = (int)exemplars.shape[0];
        var rows = new List<Tensor> { Row([Blank(data), .. Enumerable.Range(0, n).Select(i => exemplars[i..(i + 1)].cpu())]) };
        foreach (char c in characters)
        {
            var content = data.ContentGlyph(GlyphAlphabet.Label(c)).to(device);
            var generated = generator.Generate(content.expand(n, -1, -1, -1), styles).cpu();
            rows.Add(Row([Widen(content.cpu()), .. Enumerable.Range(0, n).Select(i => Widen(generated[i..(i + 1)]))]));
        }
        return Stack(rows, vertical: true).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Rows of <paramref name="characters"/> in the style vector (1−t)·z₁ + t·z₂ for <paramref name="steps"/>
    /// values of t from 0 to 1, between the styles of two exemplars [1,3,S,2S], which frame each row.
    /// </summary>
    public static Tensor Interpolation(SaaeGenerator generator, GlyphDataset data, string characters, Tensor from, Tensor to, int steps = 7)
    {
        return generator.Inference(() => InterpolationCore(generator, data, characters, from, to, steps));
    }

    static Tensor InterpolationCore(SaaeGenerator generator, GlyphDataset data, string characters, Tensor from, Tensor to, int steps)
    {
        using var scope = NewDisposeScope();
        var device = generator.parameters().First().device;
        var (z1, z2) = (generator.EncodeStyle(from.to(device)), generator.EncodeStyle(to.to(device)));
        var t = linspace(0, 1, steps, device: device).unsqueeze(1);
        var styles = (1 - t) * z1 + t * z2;
        var rows = new List<Tensor>();
        foreach (char c in characters)
        {
            var content = data.ContentGlyph(GlyphAlphabet.Label(c)).to(device).expand(steps, -1, -1, -1);
            var generated = generator.Generate(content, styles).cpu();
            rows.Add(Row([from.cpu(), .. Enumerable.Range(0, steps).Select(i => generated[i..(i + 1)]), to.cpu()]));
        }
        return Stack(rows, vertical: true).MoveToOuterDisposeScope();
    }

    /// <summary>Nearest-neighbour enlargement by a whole factor, so small glyphs stay crisp when shown.</summary>
    public static Tensor Enlarge(Tensor image, int factor) =>
        factor == 1 ? image.alias() : image.repeat_interleave(factor, 2).repeat_interleave(factor, 3);

    static Tensor Blank(GlyphDataset data) => ones(1, 3, data.Options.ImageSize, 2 * data.Options.ImageSize);

    // A glyph S×S centred in a white S×2S cell.
    static Tensor Widen(Tensor glyph)
    {
        long s = glyph.shape[3];
        return nn.functional.pad(glyph, [s / 2, s - s / 2, 0, 0], value: 1.0);
    }

    static Tensor Row(IEnumerable<Tensor> cells) => Stack(cells.ToList(), vertical: false);

    static Tensor Stack(IReadOnlyList<Tensor> parts, bool vertical)
    {
        int axis = vertical ? 2 : 3;
        var gap = ones(vertical ? [1, 3, Gap, parts[0].shape[3]] : new long[] { 1, 3, parts[0].shape[2], Gap });
        var pieces = new List<Tensor>();
        for (int i = 0; i < parts.Count; i++)
        {
            if (i > 0) pieces.Add(gap);
            pieces.Add(parts[i]);
        }
        return cat(pieces, axis);
    }
}
