using System.Text.Json;
using System.Text.Json.Nodes;

namespace StyleLab.Kernel;

/// <summary>
/// Sends what cells produce (streams, displays) on IOPub, attributed to the request that is
/// running now, or to the last one when output arrives between cells (a background task).
/// </summary>
internal sealed class CellOutputs(KernelSockets sockets)
{
    /// <summary>The most text one stream message carries; longer writes are split (front ends choke on huge messages).</summary>
    public const int MaxMessageChars = 64 * 1024;

    /// <summary>
    /// The most stream text one cell may send (characters; <c>STYLELAB_KERNEL_OUTPUT_LIMIT</c>, default 10 M);
    /// the rest is dropped with a notice, so a runaway print cannot fill the kernel's or the browser's memory.
    /// </summary>
    public static long CellLimitChars { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("STYLELAB_KERNEL_OUTPUT_LIMIT"), out long limit) && limit > 0 ? limit : 10_000_000;

    readonly Lock _streamGate = new();
    WireMessage? _parent;
    long _streamed;
    bool _truncated;

    /// <summary>The request outputs belong to from now on.</summary>
    public WireMessage? Parent
    {
        get => Volatile.Read(ref _parent);
        set => Volatile.Write(ref _parent, value);
    }

    public void Publish(string msgType, JsonObject content) => sockets.Publish(msgType, content, Parent);

    /// <summary>Makes <paramref name="request"/> the parent of what follows, with a fresh output allowance.</summary>
    public void BeginCell(WireMessage request)
    {
        lock (_streamGate)
        {
            Parent = request;
            _streamed = 0;
            _truncated = false;
        }
    }

    /// <summary>Whether this cell has used up its output allowance (writers can drop text early).</summary>
    public bool Exhausted
    {
        get { lock (_streamGate) return _truncated; }
    }

    /// <summary>Sends stream text in messages of at most <see cref="MaxMessageChars"/>, within the cell's allowance.</summary>
    public void Stream(string name, string text)
    {
        lock (_streamGate)
        {
            if (_truncated) return;
            long left = CellLimitChars - _streamed;
            if (text.Length > left)
            {
                text = text[..(int)left];
                _truncated = true;
            }
            _streamed += text.Length;
            for (int start = 0; start < text.Length; start += MaxMessageChars)
                Publish("stream", new JsonObject { ["name"] = name, ["text"] = text.Substring(start, Math.Min(MaxMessageChars, text.Length - start)) });
            if (_truncated)
                Publish("stream", new JsonObject
                {
                    ["name"] = "stderr",
                    ["text"] = $"\n[kernel] output truncated: this cell printed more than {CellLimitChars:N0} characters; the rest is not shown " +
                               "(set STYLELAB_KERNEL_OUTPUT_LIMIT before starting Jupyter to allow more).\n",
                });
        }
    }

    /// <summary>Sends display_data (or update_display_data) for <paramref name="value"/>.</summary>
    public void Display(object? value, string? displayId, bool update = false)
    {
        var content = new JsonObject { ["data"] = ToJson(MimeBundles.For(value)), ["metadata"] = new JsonObject() };
        if (displayId is not null) content["transient"] = new JsonObject { ["display_id"] = displayId };
        Publish(update ? "update_display_data" : "display_data", content);
    }

    public void ClearOutput(bool wait) => Publish("clear_output", new JsonObject { ["wait"] = wait });

    /// <summary>Turns a mime bundle into JSON: text stays text, anything else is serialised (application/json).</summary>
    public static JsonObject ToJson(IDictionary<string, object> bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, value) in bundle)
            data[mime] = value switch
            {
                string s => s,
                JsonNode node => node.DeepClone(),
                _ => JsonSerializer.SerializeToNode(value),
            };
        return data;
    }
}
