using System.Security.Cryptography;
using System.Text;
using StyleLab.Assets;
using StyleLab.Weights;

namespace StyleLab.Tests.Weights;

public sealed class WeightResolverTests : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), $"stylelab-weights-{Guid.NewGuid():N}");
    readonly Dictionary<string, string?> _variables = new();

    public WeightResolverTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Folder(string name)
    {
        var path = Path.Combine(_root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    AssetEnvironment Environment(bool repository = true) =>
        new(name => _variables.GetValueOrDefault(name), repository ? Folder("repo") : null, Folder("cache"));

    static string Put(string folder, string file, string content = "weights")
    {
        var path = Path.Combine(folder, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    static WeightRegistry Registry(string? sha256 = null, string? prefix = null, params string[] urls)
    {
        var json = $$"""
            { "weights": [ { "id": "test-net", "file": "test-net.pth", "format": "pth", "licence": "MIT",
                             "urls": [{{string.Join(",", urls.Select(u => $"\"{u}\""))}}],
                             "sha256": {{(sha256 is null ? "null" : $"\"{sha256}\"")}},
                             "sha256Prefix": {{(prefix is null ? "null" : $"\"{prefix}\"")}} } ] }
            """;
        return WeightRegistry.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test manifest");
    }

    [Fact]
    public void An_explicit_path_wins_over_every_folder()
    {
        var env = Environment();
        Put(Path.Combine(env.RepositoryRoot!, "weights"), "test-net.pth");
        var explicitFile = Put(Folder("elsewhere"), "mine.pth");
        using var resolver = new WeightResolver(Registry(), env);
        var location = resolver.Resolve(explicitFile);
        Assert.Equal(explicitFile, location.Path);
        Assert.Equal("explicit path", location.Place.Origin);
    }

    [Fact]
    public void Order_is_env_folders_then_repository_then_cache()
    {
        var env = Environment();
        var cache = Put(Path.Combine(env.CacheRoot, "weights"), "test-net.pth");
        using var resolver = new WeightResolver(Registry(), env);
        Assert.Equal(cache, resolver.Resolve("test-net").Path);

        var repository = Put(Path.Combine(env.RepositoryRoot!, "weights"), "test-net.pth");
        Assert.Equal(repository, resolver.Resolve("test-net").Path);

        var second = Folder("second");
        var inSecond = Put(second, "test-net.pth");
        _variables[WeightResolver.WeightsVariable] = string.Join(Path.PathSeparator, Folder("first"), second);
        Assert.Equal(inSecond, resolver.Resolve("test-net").Path);

        var inFirst = Put(Path.Combine(_root, "first"), "test-net.pth");
        Assert.Equal(inFirst, resolver.Resolve("test-net").Path);
        Assert.Equal(WeightResolver.WeightsVariable, resolver.Resolve("test-net").Place.Origin);
    }

    [Fact]
    public void Env_folders_are_searched_one_level_deep_as_in_shared()
    {
        var env = Environment();
        var shared = Folder("shared-weights");
        var nested = Put(Path.Combine(shared, "some-collection"), "test-net.pth");
        _variables[WeightResolver.WeightsVariable] = shared;
        using var resolver = new WeightResolver(Registry(), env);
        Assert.Equal(nested, resolver.Locate("test-net")!.Path);
    }

    [Fact]
    public void A_missing_file_lists_every_place_and_how_to_get_it()
    {
        var env = Environment();
        _variables[WeightResolver.WeightsVariable] = string.Join(Path.PathSeparator, Folder("a"), Folder("b"));
        using var resolver = new WeightResolver(Registry(urls: "https://example.invalid/test-net.pth"), env);
        var e = Assert.Throws<WeightNotFoundException>(() => resolver.Resolve("test-net", download: false));
        Assert.Equal(4, e.Searched.Count);
        foreach (var place in e.Searched) Assert.Contains(place.Directory, e.Message);
        Assert.Contains("stylelab weights fetch test-net", e.Message);
        Assert.Contains("https://example.invalid/test-net.pth", e.Message);
    }

    [Fact]
    public void Unknown_ids_and_missing_paths_are_named()
    {
        using var resolver = new WeightResolver(Registry(), Environment());
        Assert.Contains("test-net", Assert.Throws<KeyNotFoundException>(() => resolver.Resolve("no-such-net")).Message);
        Assert.Contains("nowhere/x.pth", Assert.Throws<FileNotFoundException>(() => resolver.Resolve("nowhere/x.pth")).Message);
    }

    [Fact]
    public async Task A_missing_file_is_downloaded_verified_and_cached()
    {
        using var server = new LocalFileServer();
        var body = RandomNumberGenerator.GetBytes(300_000);
        var url = server.Serve("test-net.pth", body);
        var env = Environment();
        using var resolver = new WeightResolver(Registry(Sha(body), null, url), env);
        var reports = new List<DownloadProgress>();
        var location = await resolver.ResolveAsync("test-net", new SyncProgress<DownloadProgress>(reports.Add));

        Assert.Equal(Path.Combine(env.CacheRoot, "weights", "test-net", "test-net.pth"), location.Path);
        Assert.Equal(body, await File.ReadAllBytesAsync(location.Path));
        Assert.Equal(body.Length, reports[^1].BytesReceived);
        Assert.Equal(body.Length, reports[^1].TotalBytes);
        Assert.Equal(WeightVerdict.Verified, resolver.Verify("test-net").Verdict);

        // Found in the cache the second time: no new request.
        int requests = server.Requests;
        await resolver.ResolveAsync("test-net");
        Assert.Equal(requests, server.Requests);
    }

    [Fact]
    public async Task A_prefix_in_the_file_name_is_checked()
    {
        using var server = new LocalFileServer();
        var body = Encoding.UTF8.GetBytes("torchvision-style weights");
        var url = server.Serve("test-net.pth", body);
        using var resolver = new WeightResolver(Registry(null, Sha(body)[..8], url), Environment());
        var location = await resolver.ResolveAsync("test-net");
        Assert.Equal(WeightVerdict.PrefixVerified, WeightResolver.Verify(location.Entry!, location.Path).Verdict);
    }

    [Fact]
    public async Task A_sha_mismatch_deletes_the_download_and_names_both_hashes()
    {
        using var server = new LocalFileServer();
        var body = Encoding.UTF8.GetBytes("not the weights you are looking for");
        var url = server.Serve("test-net.pth", body);
        string expected = new('a', 64);
        var env = Environment();
        using var resolver = new WeightResolver(Registry(expected, null, url), env);
        var e = await Assert.ThrowsAsync<ChecksumMismatchException>(() => resolver.ResolveAsync("test-net"));
        Assert.Contains(expected, e.Message);
        Assert.Contains(Sha(body), e.Message);
        Assert.Equal(Sha(body), e.Actual);
        AssertCacheHoldsNoFile(env);
    }

    [Fact]
    public async Task An_interrupted_download_leaves_nothing_in_the_cache()
    {
        using var server = new LocalFileServer();
        var url = server.Serve("test-net.pth", RandomNumberGenerator.GetBytes(1 << 20), truncate: true);
        var env = Environment();
        using var resolver = new WeightResolver(Registry(urls: url), env);
        var e = await Assert.ThrowsAsync<WeightNotFoundException>(() => resolver.ResolveAsync("test-net"));
        Assert.Contains("Download failed", e.Message);
        AssertCacheHoldsNoFile(env);
    }

    [Fact]
    public async Task An_unreachable_url_is_an_error_listing_the_places()
    {
        using var server = new LocalFileServer();
        var env = Environment();
        using var resolver = new WeightResolver(Registry(urls: server.Url("missing.pth")), env);
        var e = await Assert.ThrowsAsync<WeightNotFoundException>(() => resolver.ResolveAsync("test-net"));
        Assert.Contains("HTTP 404", e.Message);
        Assert.Contains(Path.Combine(env.CacheRoot, "weights"), e.Message);
    }

    [Fact]
    public void Verify_reports_a_corrupt_file()
    {
        var env = Environment();
        Put(Path.Combine(env.CacheRoot, "weights"), "test-net.pth", "corrupted");
        using var resolver = new WeightResolver(Registry(new string('0', 64)), env);
        var result = resolver.Verify("test-net");
        Assert.Equal(WeightVerdict.Mismatch, result.Verdict);
        Assert.False(result.Ok);
    }

    [Fact]
    public void Cache_follows_STYLELAB_CACHE_then_XDG_then_home()
    {
        var vars = new Dictionary<string, string?> { ["HOME"] = "/home/someone" };
        Assert.Equal("/home/someone/.cache/stylelab", AssetEnvironment.FromVariables(vars.GetValueOrDefault, null).CacheRoot);
        vars["XDG_CACHE_HOME"] = "/xdg";
        Assert.Equal("/xdg/stylelab", AssetEnvironment.FromVariables(vars.GetValueOrDefault, null).CacheRoot);
        vars["STYLELAB_CACHE"] = "/own";
        Assert.Equal("/own", AssetEnvironment.FromVariables(vars.GetValueOrDefault, null).CacheRoot);
    }

    static void AssertCacheHoldsNoFile(AssetEnvironment env)
    {
        var cache = Path.Combine(env.CacheRoot, "weights");
        var files = Directory.Exists(cache) ? Directory.GetFiles(cache, "*", SearchOption.AllDirectories) : [];
        Assert.Empty(files);
    }

    /// <summary>Reports synchronously: <see cref="Progress{T}"/> posts to the thread pool and could arrive late.</summary>
    sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
