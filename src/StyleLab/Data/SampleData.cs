using System.Text.Json;
using StyleLab.Assets;

namespace StyleLab.Data;

/// <summary>
/// The sample photos and paintings (<c>data/manifest.json</c>, compiled into the library) and where
/// to find them: each folder in <c>STYLELAB_DATA</c> (holding <c>content/</c> and <c>style/</c>), the
/// repository's <c>data/</c>, the user cache (<c>…/stylelab/data</c>), else a download into the cache.
/// </summary>
public sealed class SampleData : IDisposable
{
    /// <summary>The environment variable naming data folders.</summary>
    public const string DataVariable = "STYLELAB_DATA";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    readonly AssetEnvironment _environment;
    readonly AssetDownloader _downloader;

    public SampleData(IReadOnlyList<SampleImage>? images = null, AssetEnvironment? environment = null, HttpMessageHandler? http = null)
    {
        Images = images ?? Catalogue.Value;
        _environment = environment ?? AssetEnvironment.Current;
        _downloader = new AssetDownloader(http);
    }

    static readonly Lazy<IReadOnlyList<SampleImage>> Catalogue = new(() =>
    {
        using var stream = typeof(SampleData).Assembly.GetManifestResourceStream("StyleLab.data.manifest.json")
            ?? throw new InvalidOperationException("The data manifest is not embedded in StyleLab.dll.");
        return JsonSerializer.Deserialize<Manifest>(stream, Json)!.Images;
    });

    /// <summary>Every known sample.</summary>
    public IReadOnlyList<SampleImage> Images { get; }

    /// <summary>Where downloads go.</summary>
    public string CacheDirectory => Path.Combine(_environment.CacheRoot, "data");

    /// <summary>The folders searched, in order.</summary>
    public IReadOnlyList<SearchPlace> Places
    {
        get
        {
            var places = _environment.Folders(DataVariable).Select(f => new SearchPlace(DataVariable, f)).ToList();
            if (_environment.RepositoryRoot is { } root) places.Add(new SearchPlace("repository", Path.Combine(root, "data")));
            places.Add(new SearchPlace("cache", CacheDirectory));
            return places;
        }
    }

    /// <summary>The first data folder that exists, for messages (null when none does).</summary>
    public SearchPlace? FirstExistingPlace => Places.FirstOrDefault(p => Directory.Exists(Path.Combine(p.Directory, "content")));

    /// <summary>The catalogue entry for a sample; an error lists the names of that kind.</summary>
    public SampleImage Get(SampleKind kind, string name)
    {
        string folder = kind.ToString().ToLowerInvariant();
        return Images.FirstOrDefault(i => i.Kind == folder && string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new KeyNotFoundException($"no {folder} sample '{name}'; known: {string.Join(", ", Images.Where(i => i.Kind == folder).Select(i => i.Name))}.");
    }

    /// <summary>The sample's file, without downloading; null when absent.</summary>
    public string? Locate(SampleImage image) =>
        Places.Select(p => p.Find(image.RelativePath)).FirstOrDefault(path => path is not null);

    /// <summary>The sample's file, downloaded into the cache when it is in no data folder.</summary>
    public async Task<string> ResolveAsync(SampleKind kind, string name, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var image = Get(kind, name);
        if (Locate(image) is { } found) return found;
        string destination = Path.Combine(CacheDirectory, image.RelativePath);
        try
        {
            await _downloader.DownloadAsync(image.Urls, destination, ExpectedHash.None, progress, cancellationToken);
        }
        catch (AssetDownloadException e)
        {
            throw new FileNotFoundException(
                $"sample image {image.RelativePath} not found. Looked in: {string.Join("; ", Places)}. Download failed: {e.Message}. " +
                $"Set {DataVariable} to a folder with content/ and style/ (CI: ../shared/data).", image.Name, e);
        }
        return destination;
    }

    /// <summary>The synchronous form of <see cref="ResolveAsync"/>.</summary>
    public string Resolve(SampleKind kind, string name) => ResolveAsync(kind, name).GetAwaiter().GetResult();

    public void Dispose() => _downloader.Dispose();

    sealed record Manifest(IReadOnlyList<SampleImage> Images);
}
