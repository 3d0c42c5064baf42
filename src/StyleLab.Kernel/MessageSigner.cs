using System.Security.Cryptography;
using System.Text;

namespace StyleLab.Kernel;

/// <summary>
/// HMAC-SHA256 over header, parent_header, metadata and content, as the Jupyter wire protocol asks.
/// An empty key turns signing off (the signature frame is then empty and not checked).
/// </summary>
public sealed class MessageSigner
{
    readonly byte[] _key;

    /// <summary>Creates a signer for the connection file's key.</summary>
    public MessageSigner(string key) => _key = Encoding.UTF8.GetBytes(key);

    /// <summary>Whether messages are signed at all.</summary>
    public bool Enabled => _key.Length > 0;

    /// <summary>The lowercase hex signature of the four JSON frames; empty when signing is off.</summary>
    public string Sign(IReadOnlyList<byte[]> frames) =>
        Enabled ? Convert.ToHexStringLower(Mac(frames)) : "";

    /// <summary>Checks a received signature in constant time.</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> frames)
    {
        if (!Enabled) return true;
        byte[] given;
        try { given = Convert.FromHexString(signature); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(given, Mac(frames));
    }

    byte[] Mac(IReadOnlyList<byte[]> frames)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        foreach (var frame in frames) hmac.AppendData(frame);
        return hmac.GetHashAndReset();
    }
}
