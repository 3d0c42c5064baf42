using StyleLab.Methods.FeedForward;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.FeedForward;

/// <summary>The nine pretrained ml5 styles (needs ../shared).</summary>
public class FastStyleTests
{
    static string[] Roots => [TestPaths.SharedWeights!];

    [SkippableFact]
    public void All_nine_styles_are_found_by_name()
    {
        Skip.If(TestPaths.SharedWeights is null, "../shared/weights is absent");
        Assert.Equal(FastStyle.KnownStyles.Order(), FastStyle.AvailableStyles(Roots).Keys.Order());
    }

    [SkippableFact]
    public void Every_style_stylises_odd_sizes_into_the_same_size_in_0_1()
    {
        Skip.If(TestPaths.SharedWeights is null, "../shared/weights is absent");
        torch.random.manual_seed(1);
        using var content = torch.rand(1, 3, 37, 53);
        foreach (var name in FastStyle.KnownStyles)
        {
            using var style = FastStyle.Load(name, weightsRoots: Roots);
            using var result = style.Stylize(content);
            Assert.Equal(new long[] { 1, 3, 37, 53 }, result.shape);
            Assert.True(result.min().item<float>() >= 0 && result.max().item<float>() <= 1, name);
            // A stylisation, not a copy or a blank: the image changed and still varies.
            Assert.True((result - content).abs().mean().item<float>() > 0.05, name);
            Assert.True(result.std().item<float>() > 0.02, name);
        }
    }

    [SkippableFact]
    public void Batches_stylise_each_image_independently()
    {
        Skip.If(TestPaths.SharedWeights is null, "../shared/weights is absent");
        using var style = FastStyle.Load("udnie", weightsRoots: Roots);
        using var scope = NewDisposeScope();
        torch.random.manual_seed(2);
        var batch = torch.rand(3, 3, 30, 22);
        var together = style.Stylize(batch);
        var alone = style.Stylize(batch.narrow(0, 1, 1));
        Assert.True(together.narrow(0, 1, 1).allclose(alone, rtol: 0, atol: 1e-5));
    }

    [SkippableFact]
    public void Tiny_images_work()
    {
        Skip.If(TestPaths.SharedWeights is null, "../shared/weights is absent");
        using var style = FastStyle.Load("scream", weightsRoots: Roots);
        using var result = style.Stylize(torch.rand(1, 3, 1, 3));
        Assert.Equal(new long[] { 1, 3, 1, 3 }, result.shape);
    }

    [SkippableFact]
    public void Repeated_stylisation_leaves_no_tensors_behind()
    {
        Skip.If(TestPaths.SharedWeights is null, "../shared/weights is absent");
        using var style = FastStyle.Load(Path.Combine(TestPaths.SharedWeights!, "fast-style-ml5", "wave"));
        using var content = torch.rand(1, 3, 21, 19);
        style.Stylize(content).Dispose();
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++) style.Stylize(content).Dispose();
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void A_folder_without_a_manifest_is_a_named_weight_file_error()
    {
        var folder = Directory.CreateTempSubdirectory("stylelab-empty-").FullName;
        try
        {
            var e = Assert.Throws<StyleLab.Weights.WeightFileException>(() => FastStyle.Load(folder));
            Assert.Contains("manifest.json", e.Message);
        }
        finally { Directory.Delete(folder); }
    }

    [Fact]
    public void An_unknown_style_says_where_it_looked()
    {
        var e = Assert.Throws<ArgumentException>(() => FastStyle.Load("no-such-style", weightsRoots: ["/nonexistent"]));
        Assert.Contains("/nonexistent/fast-style-ml5", e.Message);
        Assert.Contains("STYLELAB_WEIGHTS", e.Message);
    }
}
