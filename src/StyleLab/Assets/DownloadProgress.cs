namespace StyleLab.Assets;

/// <summary>How far a download has got.</summary>
/// <param name="FileName">The file being downloaded.</param>
/// <param name="BytesReceived">Bytes written so far.</param>
/// <param name="TotalBytes">The size the server announced, when it did.</param>
public sealed record DownloadProgress(string FileName, long BytesReceived, long? TotalBytes)
{
    /// <summary>0…1 when the size is known.</summary>
    public double? Fraction => TotalBytes is > 0 ? (double)BytesReceived / TotalBytes.Value : null;
}
