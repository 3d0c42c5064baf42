using StyleLab.Assets;
using StyleLab.Data;
using StyleLab.Weights;

namespace StyleLab.Tests.Weights;

public class WeightManifestTests
{
    [Fact]
    public void Every_entry_is_well_formed_and_ids_are_unique()
    {
        var all = WeightRegistry.Default.All;
        Assert.NotEmpty(all);
        Assert.Equal(all.Count, all.Select(e => e.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var e in all)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Id));
            Assert.False(string.IsNullOrWhiteSpace(e.File), e.Id);
            Assert.False(string.IsNullOrWhiteSpace(e.Licence), e.Id);
            Assert.True(Enum.IsDefined(e.Format), e.Id);
            if (e.Sha256 is not null) Assert.Matches("^[0-9a-f]{64}$", e.Sha256);
            if (e.Sha256Prefix is not null) Assert.Contains(e.Sha256Prefix, e.File);
            foreach (var url in e.Urls) Assert.StartsWith("https://", url);
            // A file that cannot be downloaded must say how to get it.
            Assert.True(e.Downloadable || e.Obtain is not null, $"{e.Id}: no URL and no instructions");
        }
    }

    [Fact]
    public void The_registry_knows_the_models_StyleLab_supports()
    {
        string[] ids = ["vgg19-torchvision", "vgg19-caffe", "vgg19-caffe-partial", "adain-vgg-normalised", "adain-decoder",
            "sanet-transformer", "sanet-decoder", "cast-dec-b", "wct-vgg", "fast-style-udnie", "magenta-style-predict-int8"];
        foreach (var id in ids) Assert.Equal(id, WeightRegistry.Default.Get(id).Id);
        Assert.Equal(9, WeightRegistry.Default.All.Count(e => e.Id.StartsWith("fast-style-")));
    }

    [SkippableFact]
    public void The_partial_vgg_in_shared_matches_its_recorded_sha256()
    {
        Skip.If(TestPaths.SharedVgg is null, "../shared is not present");
        var entry = WeightRegistry.Default.Get("vgg19-caffe-partial");
        Assert.Equal(WeightVerdict.Verified, WeightResolver.Verify(entry, TestPaths.SharedVgg!).Verdict);
    }

    [SkippableFact]
    public void Shared_weights_resolve_through_STYLELAB_WEIGHTS()
    {
        Skip.If(TestPaths.Shared is null, "../shared is not present");
        var env = new AssetEnvironment(n => n == "STYLELAB_WEIGHTS" ? Path.Combine(TestPaths.Shared!, "weights") : null, null,
            Path.Combine(Path.GetTempPath(), "stylelab-no-cache"));
        using var resolver = new WeightResolver(environment: env);
        Assert.Equal(TestPaths.SharedVgg, resolver.Locate("vgg19-caffe-partial")!.Path);
        Assert.EndsWith(Path.Combine("udnie", "manifest.json"), resolver.Locate("fast-style-udnie")!.Path);
    }

    [Fact]
    public void Sample_images_are_well_formed()
    {
        using var data = new SampleData();
        Assert.Contains(data.Images, i => i is { Kind: "content", Name: "chicago.jpg" });
        Assert.Contains(data.Images, i => i is { Kind: "style", Name: "Starry.jpg" });
        foreach (var image in data.Images)
        {
            Assert.Contains(image.Kind, new[] { "content", "style" });
            Assert.NotEmpty(image.Urls);
            Assert.False(string.IsNullOrWhiteSpace(image.Licence));
        }
    }

    [SkippableFact]
    public void Shared_samples_resolve_through_STYLELAB_DATA()
    {
        Skip.If(TestPaths.Shared is null, "../shared is not present");
        var env = new AssetEnvironment(n => n == "STYLELAB_DATA" ? Path.Combine(TestPaths.Shared!, "data") : null, null,
            Path.Combine(Path.GetTempPath(), "stylelab-no-cache"));
        using var data = new SampleData(environment: env);
        Assert.Equal(Path.Combine(TestPaths.Shared!, "data", "style", "Starry.jpg"), data.Resolve(SampleKind.Style, "Starry.jpg"));
    }
}
