namespace StyleLab.Assets;

/// <summary>A download failed or delivered the wrong bytes; nothing was left in the cache.</summary>
public sealed class AssetDownloadException(string message, Exception? inner = null) : IOException(message, inner);
