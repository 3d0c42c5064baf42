namespace StyleLab.Assets;

/// <summary>A download failed or delivered the wrong bytes; nothing was left in the cache.</summary>
public class AssetDownloadException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>A download completed but its SHA-256 is not the one expected: a corrupt transfer or a different file.</summary>
public sealed class ChecksumMismatchException(string fileName, string url, ExpectedHash expected, string actual)
    : AssetDownloadException($"sha256 mismatch for {fileName} from {url}: expected {expected}, got {actual}. The download was deleted.")
{
    public ExpectedHash Expected { get; } = expected;

    /// <summary>The SHA-256 of what was received.</summary>
    public string Actual { get; } = actual;
}
