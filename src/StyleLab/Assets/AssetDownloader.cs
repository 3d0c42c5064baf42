using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace StyleLab.Assets;

/// <summary>
/// Downloads a file to a temporary name beside its destination, hashes it on the way, and moves it
/// into place only when it is complete and its SHA-256 agrees. A failure at any point deletes the
/// temporary file, so a cache never holds a partial or unverified file.
/// </summary>
public sealed class AssetDownloader : IDisposable
{
    const int BufferSize = 1 << 16;
    readonly HttpClient _http;

    /// <summary>Uses <paramref name="handler"/> for HTTP (tests pass a local one), else a default handler.</summary>
    public AssetDownloader(HttpMessageHandler? handler = null)
    {
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(20) }, disposeHandler: true)
        {
            // Weight files are hundreds of MB: the whole transfer gets no deadline, a stalled connect does.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("StyleLab", "1.0"));
    }

    /// <summary>
    /// Downloads the first of <paramref name="urls"/> that answers to <paramref name="destination"/>.
    /// A URL that cannot be reached is skipped for the next; a hash mismatch is an error at once.
    /// </summary>
    /// <returns>The lower-case hex SHA-256 of what was stored.</returns>
    public async Task<string> DownloadAsync(IReadOnlyList<string> urls, string destination, ExpectedHash expected,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (urls.Count == 0) throw new ArgumentException("No URL to download from.", nameof(urls));
        var failures = new List<string>();
        foreach (var url in urls)
        {
            try { return await DownloadOneAsync(url, destination, expected, progress, cancellationToken); }
            catch (Exception e) when (e is HttpRequestException or IOException and not AssetDownloadException
                                      || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{url}: {e.Message}");
            }
        }
        throw new AssetDownloadException($"could not download {Path.GetFileName(destination)}: {string.Join("; ", failures)}");
    }

    async Task<string> DownloadOneAsync(string url, string destination, ExpectedHash expected,
        IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(folder);
        string name = Path.GetFileName(destination);
        // Same folder as the destination, so the final move is an atomic rename on one file system.
        string temporary = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.partial");
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            long? total = response.Content.Headers.ContentLength;

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long received = 0;
            await using (var source = await response.Content.ReadAsStreamAsync(cancellationToken))
            await using (var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                var buffer = new byte[BufferSize];
                progress?.Report(new DownloadProgress(name, 0, total));
                int n;
                while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                    hash.AppendData(buffer, 0, n);
                    received += n;
                    progress?.Report(new DownloadProgress(name, received, total));
                }
            }
            if (total is { } announced && received != announced)
                throw new IOException($"the transfer ended after {received} of {announced} bytes");

            string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!expected.Accepts(actual))
                throw new ChecksumMismatchException(name, url, expected, actual);
            File.Move(temporary, destination, overwrite: true);
            return actual;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public void Dispose() => _http.Dispose();
}
