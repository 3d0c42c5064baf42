using System.Security.Cryptography;

namespace StyleLab.Assets;

/// <summary>
/// What is known of a file's SHA-256: the full hash, a prefix the publisher put in the file name
/// (torchvision's convention), or nothing.
/// </summary>
public sealed record ExpectedHash(string? Sha256, string? Prefix)
{
    /// <summary>Nothing known: any bytes are accepted.</summary>
    public static ExpectedHash None { get; } = new(null, null);

    /// <summary>True when a download can be checked.</summary>
    public bool IsKnown => Sha256 is not null || Prefix is not null;

    /// <summary>True when <paramref name="actual"/> (lower-case hex) agrees with what is known.</summary>
    public bool Accepts(string actual) =>
        Sha256 is not null ? string.Equals(actual, Sha256, StringComparison.OrdinalIgnoreCase)
        : Prefix is null || actual.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The expected value for messages: the full hash, or "prefix…".</summary>
    public override string ToString() => Sha256 ?? (Prefix is not null ? Prefix + "…" : "unknown");

    /// <summary>The lower-case hex SHA-256 of a file.</summary>
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
