using StyleLab.Methods.Saae;
using StyleLab.Tests.Training;
using static TorchSharp.torch;

namespace StyleLab.Tests.Saae;

public class GlyphDatasetTests(FontsFixture fixture) : IClassFixture<FontsFixture>
{
    GlyphFonts Fonts => fixture.Fonts;

    static bool Same(SaaeBatch a, SaaeBatch b) =>
        Bits.Identical(a.Content, b.Content) && Bits.Identical(a.Exemplar, b.Exemplar)
        && Bits.Identical(a.Target, b.Target) && Bits.Identical(a.Labels, b.Labels);

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_another_seed_others()
    {
        using var a = new GlyphDataset(Fonts, Tiny.Data(seed: 3));
        using var b = new GlyphDataset(Fonts, Tiny.Data(seed: 3));
        using var c = new GlyphDataset(Fonts, Tiny.Data(seed: 4));
        for (int i = 0; i < 3; i++)
        {
            using var x = a.NextBatch();
            using var y = b.NextBatch();
            using var z = c.NextBatch();
            Assert.True(Same(x, y));
            Assert.False(Bits.Identical(x.Exemplar, z.Exemplar));
        }
    }

    [Fact]
    public void A_restored_position_gives_the_batch_that_followed()
    {
        using var a = new GlyphDataset(Fonts, Tiny.Data());
        a.NextBatch().Dispose();
        var saved = a.Position;
        using var expected = a.NextBatch();
        using var resumed = new GlyphDataset(Fonts, Tiny.Data()) { Position = saved };
        using var again = resumed.NextBatch();
        Assert.True(Same(expected, again));
    }

    [Fact]
    public void Batches_hold_content_glyphs_word_exemplars_targets_and_labels()
    {
        using var data = new GlyphDataset(Fonts, Tiny.Data());
        using var batch = data.NextBatch();
        Assert.Equal(new long[] { 6, 3, 16, 16 }, batch.Content.shape);
        Assert.Equal(new long[] { 6, 3, 16, 32 }, batch.Exemplar.shape);
        Assert.Equal(new long[] { 6, 3, 16, 16 }, batch.Target.shape);
        Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
        Assert.All(batch.Labels.data<long>().ToArray(), l => Assert.InRange(l, 0, 35));
        // Content is the clean glyph of the label: black ink on white paper.
        using var expected = data.ContentGlyph((int)batch.Labels[0].item<long>());
        Assert.True(Bits.Identical(batch.Content[..1], expected));
    }

    [Fact]
    public void The_target_is_the_content_character_in_the_exemplars_exact_style()
    {
        using var data = new GlyphDataset(Fonts, Tiny.Data() with { ImageSize = 32 });
        var (label, style, word) = data.Describe(0);
        // Flat paper without noise or blur: the paper colour is exact in a corner of both images.
        style = style with { Background = GlyphBackground.Flat, Noise = 0, Blur = 0 };
        using var exemplar = data.Exemplar(style, word);
        using var target = data.Styled(label, style);
        var paper = new[] { style.Paper.Red / 255f, style.Paper.Green / 255f, style.Paper.Blue / 255f };
        Assert.Equal(paper, exemplar[0, .., 0, 0].data<float>().ToArray());
        Assert.Equal(paper, target[0, .., 0, 0].data<float>().ToArray());
        // The ink colour is the pixel farthest from the paper in both.
        float[] Ink(Tensor image)
        {
            var pixels = image[0].flatten(1).T;
            var index = (pixels - tensor(paper)).abs().sum(1).argmax().item<long>();
            return pixels[index].data<float>().ToArray();
        }
        var ink = new[] { style.Ink.Red / 255f, style.Ink.Green / 255f, style.Ink.Blue / 255f };
        Assert.Equal(ink, Ink(exemplar), new FloatTolerance(0.02f));
        Assert.Equal(ink, Ink(target), new FloatTolerance(0.02f));
    }

    [Fact]
    public void Held_out_styles_use_other_seeds_and_fonts_never_trained_on()
    {
        using var train = new GlyphDataset(Fonts, Tiny.Data());
        using var heldOut = new GlyphDataset(Fonts, Tiny.Data(split: GlyphSplit.HeldOut));
        if (Fonts.Count >= 3)
        {
            Assert.NotEmpty(heldOut.StyleFonts);
            Assert.Empty(heldOut.StyleFonts.Intersect(train.StyleFonts));
        }
        Assert.All(Enumerable.Range(0, 20), n => Assert.Contains(heldOut.Describe(n).Style.Font, heldOut.StyleFonts));
        Assert.NotEqual(train.Describe(0).Style with { Font = 0 }, heldOut.Describe(0).Style with { Font = 0 });
    }

    [Fact]
    public void Fonts_are_sorted_text_fonts_with_every_character()
    {
        Assert.NotEqual(0, Fonts.Count);
        Assert.Equal(Fonts.Files.Order(StringComparer.Ordinal), Fonts.Files);
        Assert.All(Fonts.Rejected, r => Assert.True(r.Legibility < GlyphFonts.MinimumLegibility));
        // TeX's symbol font maps letters to symbols: never a style font where it is installed.
        Assert.DoesNotContain(Fonts.Files, f => Path.GetFileName(f) == "cmsy10.ttf");
    }
}

sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(float obj) => 0;
}
