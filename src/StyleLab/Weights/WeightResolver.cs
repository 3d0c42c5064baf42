using StyleLab.Assets;

namespace StyleLab.Weights;

/// <summary>
/// Finds weight files. Order: an explicit path; each folder in <c>STYLELAB_WEIGHTS</c> (separated by
/// <see cref="Path.PathSeparator"/>); the repository's <c>weights/</c>; the user cache
/// (<c>…/stylelab/weights</c>). Each folder is searched directly, in a sub-folder named after the id,
/// and one level of sub-folders. A file found nowhere is downloaded into the cache when the registry
/// has a URL, verified by SHA-256 where a hash is known; otherwise the error lists every place
/// searched and how to obtain the file.
/// </summary>
public sealed class WeightResolver : IDisposable
{
    /// <summary>The environment variable listing extra weight folders.</summary>
    public const string WeightsVariable = "STYLELAB_WEIGHTS";

    readonly AssetEnvironment _environment;
    readonly AssetDownloader _downloader;

    /// <param name="registry">Known weights (default: the manifest compiled into StyleLab).</param>
    /// <param name="environment">Variables, repository and cache (default: this process's).</param>
    /// <param name="http">HTTP handler for downloads (tests pass a local one).</param>
    public WeightResolver(WeightRegistry? registry = null, AssetEnvironment? environment = null, HttpMessageHandler? http = null)
    {
        Registry = registry ?? WeightRegistry.Default;
        _environment = environment ?? AssetEnvironment.Current;
        _downloader = new AssetDownloader(http);
    }

    public WeightRegistry Registry { get; }

    /// <summary>Where downloads go.</summary>
    public string CacheDirectory => Path.Combine(_environment.CacheRoot, "weights");

    /// <summary>The folders searched, in order.</summary>
    public IReadOnlyList<SearchPlace> Places
    {
        get
        {
            var places = _environment.Folders(WeightsVariable).Select(f => new SearchPlace(WeightsVariable, f)).ToList();
            if (_environment.RepositoryRoot is { } root) places.Add(new SearchPlace("repository", Path.Combine(root, "weights")));
            places.Add(new SearchPlace("cache", CacheDirectory));
            return places;
        }
    }

    /// <summary>Where the weights with this id are, without downloading; null when nowhere.</summary>
    public WeightLocation? Locate(string id)
    {
        var entry = Registry.Get(id);
        foreach (var place in Places)
            if (place.Find(entry.File, entry.Id) is { } path) return new WeightLocation(entry, path, place);
        return null;
    }

    /// <summary>
    /// Resolves an id or a file path to a file, downloading a registered file that is found nowhere
    /// (when <paramref name="download"/> and the registry has a URL).
    /// </summary>
    /// <exception cref="WeightNotFoundException">Not found, and not downloadable.</exception>
    /// <exception cref="ChecksumMismatchException">The download failed its checksum (and was deleted).</exception>
    public async Task<WeightLocation> ResolveAsync(string idOrPath, IProgress<DownloadProgress>? progress = null,
        bool download = true, CancellationToken cancellationToken = default)
    {
        if (File.Exists(idOrPath))
            return new WeightLocation(null, Path.GetFullPath(idOrPath), new SearchPlace("explicit path", Path.GetDirectoryName(Path.GetFullPath(idOrPath))!));
        if (!Registry.TryGet(idOrPath, out var entry))
        {
            if (LooksLikePath(idOrPath)) throw new FileNotFoundException($"weights file '{idOrPath}' not found.", idOrPath);
            entry = Registry.Get(idOrPath); // throws, listing the known ids
        }
        if (Locate(entry.Id) is { } found) return found;
        if (!download || !entry.Downloadable) throw new WeightNotFoundException(entry, Places);
        try
        {
            return await DownloadAsync(entry, progress, cancellationToken);
        }
        catch (AssetDownloadException e) when (e is not ChecksumMismatchException)
        {
            throw new WeightNotFoundException(entry, Places, e.Message);
        }
    }

    /// <summary>The synchronous form of <see cref="ResolveAsync"/>.</summary>
    public WeightLocation Resolve(string idOrPath, IProgress<DownloadProgress>? progress = null, bool download = true) =>
        ResolveAsync(idOrPath, progress, download).GetAwaiter().GetResult();

    /// <summary>Downloads the weights into the cache unless they are found already (or <paramref name="force"/>).</summary>
    public async Task<WeightLocation> FetchAsync(string id, IProgress<DownloadProgress>? progress = null,
        bool force = false, CancellationToken cancellationToken = default)
    {
        var entry = Registry.Get(id);
        if (!force && Locate(id) is { } found) return found;
        if (!entry.Downloadable) throw new WeightNotFoundException(entry, Places);
        return await DownloadAsync(entry, progress, cancellationToken);
    }

    async Task<WeightLocation> DownloadAsync(WeightEntry entry, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var place = new SearchPlace("cache", CacheDirectory);
        // A sub-folder per id: different models publish files with the same name (vgg_normalised.pth).
        string destination = Path.Combine(CacheDirectory, entry.Id, entry.File);
        await _downloader.DownloadAsync(entry.Urls, destination, entry.ExpectedHash, progress, cancellationToken);
        return new WeightLocation(entry, destination, place);
    }

    /// <summary>Hashes the file found for <paramref name="id"/> and compares it with the registry.</summary>
    /// <exception cref="WeightNotFoundException">The file is not present.</exception>
    public WeightVerification Verify(string id)
    {
        var entry = Registry.Get(id);
        var location = Locate(id) ?? throw new WeightNotFoundException(entry, Places);
        return Verify(entry, location.Path);
    }

    /// <summary>Hashes <paramref name="path"/> and compares it with <paramref name="entry"/>.</summary>
    public static WeightVerification Verify(WeightEntry entry, string path) => Verify(entry, path, ExpectedHash.OfFile(path));

    /// <summary>Compares <paramref name="actual"/>, the SHA-256 of <paramref name="path"/>, with <paramref name="entry"/>.</summary>
    internal static WeightVerification Verify(WeightEntry entry, string path, string actual)
    {
        bool same(string? h) => h is not null && string.Equals(h, actual, StringComparison.OrdinalIgnoreCase);
        var verdict =
            entry.Sha256 is not null ? (same(entry.Sha256) ? WeightVerdict.Verified : WeightVerdict.Mismatch)
            : entry.Sha256Prefix is not null ? (entry.ExpectedHash.Accepts(actual) ? WeightVerdict.PrefixVerified : WeightVerdict.Mismatch)
            : same(entry.TestedSha256) ? WeightVerdict.MatchesTestedCopy
            : WeightVerdict.Unknown;
        return new WeightVerification(entry, path, actual, verdict);
    }

    static bool LooksLikePath(string s) =>
        s.Contains('/') || s.Contains('\\') || Path.HasExtension(s);

    public void Dispose() => _downloader.Dispose();
}
