using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StyleLab.Kernel;

/// <summary>
/// One Jupyter message as it travels over ZeroMQ:
/// <c>[identities…] &lt;IDS|MSG&gt; signature header parent_header metadata content [buffers…]</c>.
/// </summary>
/// <remarks>
/// Headers stay <see cref="JsonObject"/>s so a reply's parent_header is the request's header
/// exactly as received, including fields newer clients add.
/// </remarks>
public sealed class WireMessage
{
    /// <summary>Separates the routing identities from the message proper.</summary>
    public const string Delimiter = "<IDS|MSG>";

    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>ZeroMQ routing prefixes; a reply carries the request's.</summary>
    public IReadOnlyList<byte[]> Identities { get; init; } = [];
    public required JsonObject Header { get; init; }
    public JsonObject ParentHeader { get; init; } = [];
    public JsonObject Metadata { get; init; } = [];
    public JsonObject Content { get; init; } = [];
    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    /// <summary>The signature it arrived with (empty for messages this kernel creates).</summary>
    public string Signature { get; init; } = "";

    public string MsgType => (string?)Header["msg_type"] ?? "";
    public string MsgId => (string?)Header["msg_id"] ?? "";

    /// <summary>A new message from the kernel; pass the request it answers or was caused by, if any.</summary>
    public static WireMessage Create(string msgType, JsonObject content, string session, WireMessage? parent = null) => new()
    {
        Identities = parent?.Identities ?? [],
        Header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = session,
            ["username"] = "kernel",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
            ["msg_type"] = msgType,
            ["version"] = ProtocolVersion,
        },
        ParentHeader = parent is null ? [] : (JsonObject)parent.Header.DeepClone(),
        Content = content,
    };

    /// <summary>The frames to send, signed with <paramref name="signer"/>.</summary>
    public List<byte[]> ToFrames(MessageSigner signer)
    {
        byte[][] signed = [Utf8(Header), Utf8(ParentHeader), Utf8(Metadata), Utf8(Content)];
        var frames = new List<byte[]>(Identities.Count + 6 + Buffers.Count);
        frames.AddRange(Identities);
        frames.Add(Encoding.ASCII.GetBytes(Delimiter));
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(signed)));
        frames.AddRange(signed);
        frames.AddRange(Buffers);
        return frames;
    }

    /// <summary>
    /// Parses received frames; returns null (with the reason) when the delimiter is missing,
    /// a frame is not a JSON object, or the signature does not match.
    /// </summary>
    public static WireMessage? Parse(IReadOnlyList<byte[]> frames, MessageSigner signer, out string? error)
    {
        error = null;
        byte[] delimiter = Encoding.ASCII.GetBytes(Delimiter);
        int d = -1;
        for (int i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(delimiter)) { d = i; break; }
        if (d < 0 || frames.Count < d + 6)
        {
            error = "no <IDS|MSG> delimiter followed by five frames";
            return null;
        }
        var signed = new[] { frames[d + 2], frames[d + 3], frames[d + 4], frames[d + 5] };
        // Verify the bytes as received: re-serialising could change them.
        if (!signer.Verify(Encoding.ASCII.GetString(frames[d + 1]), signed))
        {
            error = "invalid signature";
            return null;
        }
        try
        {
            return new WireMessage
            {
                Signature = Encoding.ASCII.GetString(frames[d + 1]),
                Identities = frames.Take(d).ToArray(),
                Header = ParseObject(signed[0]),
                ParentHeader = ParseObject(signed[1]),
                Metadata = ParseObject(signed[2]),
                Content = ParseObject(signed[3]),
                Buffers = frames.Skip(d + 6).ToArray(),
            };
        }
        catch (JsonException e)
        {
            error = "malformed JSON: " + e.Message;
            return null;
        }
    }

    static JsonObject ParseObject(byte[] utf8) =>
        JsonNode.Parse(utf8) as JsonObject ?? throw new JsonException("expected a JSON object");

    // Frontends read these frames as UTF-8 JSON; escaping every non-ASCII character only bloats them.
    static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static byte[] Utf8(JsonObject json) => JsonSerializer.SerializeToUtf8Bytes(json, Compact);
}
