using System.Security.Cryptography;
using System.Text;
using StyleLab.Assets;
using StyleLab.Weights;

namespace StyleLab.Tests.Weights;

/// <summary>The official-weights banner claims the paper's results only as far as a published SHA-256 proves them.</summary>
public sealed class OfficialWeightsBannerTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("stylelab-banner-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    static string Sha(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>AdaIN's two ids; the decoder with a published hash when <paramref name="decoderSha256"/> is given.</summary>
    OfficialWeightsFound Find(string? decoderSha256)
    {
        string folder = Directory.CreateDirectory(Path.Combine(_root, "weights")).FullName;
        File.WriteAllText(Path.Combine(folder, "vgg_normalised.pth"), "vgg");
        File.WriteAllText(Path.Combine(folder, "decoder.pth"), "decoder");
        var registry = WeightRegistry.Load(new MemoryStream(Encoding.UTF8.GetBytes($$"""
            { "weights": [
                { "id": "adain-vgg-normalised", "file": "vgg_normalised.pth", "format": "pth-legacy", "licence": "MIT" },
                { "id": "adain-decoder", "file": "decoder.pth", "format": "pth-legacy", "licence": "MIT",
                  "sha256": {{(decoderSha256 is null ? "null" : $"\"{decoderSha256}\"")}} } ] }
            """)), "test manifest");
        var environment = new AssetEnvironment(v => v == WeightResolver.WeightsVariable ? folder : null, null, Path.Combine(_root, "cache"));
        using var resolver = new WeightResolver(registry, environment);
        return OfficialWeights.AdaIN.Find(resolver);
    }

    [Fact]
    public void Files_with_no_published_hash_are_named_but_not_claimed_as_the_papers()
    {
        string banner = Find(decoderSha256: null).Banner("fallback");
        Assert.StartsWith("Official weights of AdaIN", banner);
        Assert.Contains("if these are the published files", banner);
        Assert.Contains("2 with no published SHA-256", banner);
    }

    [Fact]
    public void A_file_that_contradicts_its_published_hash_is_called_out()
    {
        var found = Find(decoderSha256: new string('0', 64));
        Assert.Contains("adain-decoder do(es) NOT match the published SHA-256", found.Banner("fallback"));
        Assert.Contains("results below are not the paper's", found.Banner("fallback"));
    }

    [Fact]
    public void A_verified_file_is_counted_and_the_rest_still_qualified()
    {
        string banner = Find(decoderSha256: Sha("decoder")).Banner("fallback");
        Assert.Contains("1 verified by SHA-256, 1 with no published SHA-256", banner);
    }
}
