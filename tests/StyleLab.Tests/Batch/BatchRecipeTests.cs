using StyleLab.Batch;

namespace StyleLab.Tests.Batch;

public sealed class BatchRecipeTests : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), $"stylelab-recipe-{Guid.NewGuid():N}");

    public BatchRecipeTests()
    {
        foreach (var f in new[] { "c/a.jpg", "c/b.png", "c/sub/x.jpeg", "c/sub/deeper/y.jpg", "c/notes.txt", "s/p1.jpg", "s/p2.jpg", "s/p3.png", "s/p4.jpg", "s/p5.jpg" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_root, f))!);
            File.WriteAllText(Path.Combine(_root, f), "");
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    BatchRecipe Recipe(Pairing pairing, int k = 1, ulong seed = 7) => new(Path.Combine(_root, "c"), Path.Combine(_root, "s"), "adain", pairing, k, seed);

    static string Style(BatchItem item) => Path.GetFileName(item.Styles[0]);

    [Fact]
    public void The_same_seed_gives_the_same_manifest_and_another_seed_another()
    {
        var first = Recipe(Pairing.PerContent, 2).Generate();
        var again = Recipe(Pairing.PerContent, 2).Generate();
        Assert.Equal(first.Select(i => (i.Content, Style(i), i.Output)), again.Select(i => (i.Content, Style(i), i.Output)));
        var seeds = Enumerable.Range(0, 20).Select(s => string.Join(",", Recipe(Pairing.PerContent, 2, (ulong)s).Generate().Select(Style))).Distinct().Count();
        Assert.True(seeds > 10, $"20 seeds gave only {seeds} different pairings");
    }

    [Fact]
    public void A_new_photo_does_not_change_the_styles_drawn_for_the_others()
    {
        var before = Recipe(Pairing.Random).Generate().ToDictionary(i => i.Output, Style);
        File.WriteAllText(Path.Combine(_root, "c", "aa.jpg"), "");
        var after = Recipe(Pairing.Random).Generate().ToDictionary(i => i.Output, Style);
        Assert.Equal(before.Count + 1, after.Count);
        foreach (var (output, style) in before) Assert.Equal(style, after[output]);
    }

    [Fact]
    public void Outputs_mirror_the_content_tree()
    {
        var random = Recipe(Pairing.Random).Generate();
        Assert.Equal(["a.png", "b.png", "sub/deeper/y.png", "sub/x.png"], random.Select(i => i.Output));
        var all = Recipe(Pairing.All).Generate();
        Assert.Equal(4 * 5, all.Count);
        Assert.Contains(all, i => i.Output == "sub/deeper/y-p3.png");
        Assert.Equal(all.Count, all.Select(i => i.Output).Distinct().Count());
    }

    [Fact]
    public void Per_content_K_draws_K_distinct_styles_per_photo()
    {
        foreach (var group in Recipe(Pairing.PerContent, 3).Generate().GroupBy(i => i.Content))
            Assert.Equal(3, group.Select(Style).Distinct().Count());
        Assert.Throws<ArgumentException>(() => Recipe(Pairing.PerContent, 6).Generate());
    }

    [Fact]
    public void The_Stylized_ImageNet_preset_is_one_random_painting_per_photo_by_AdaIN()
    {
        var items = BatchRecipe.StylizedImageNet(Path.Combine(_root, "c"), Path.Combine(_root, "s"), seed: 7).Generate();
        Assert.Equal(4, items.Count);
        Assert.All(items, i => Assert.Equal("adain", i.Method));
        Assert.Equal(Recipe(Pairing.Random).Generate().Select(Style), items.Select(Style));
    }
}
