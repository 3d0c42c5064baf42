using System.Text.Json;
using System.Text.Json.Nodes;

namespace StyleLab.Kernel;

/// <summary>
/// Sends what cells produce (streams, displays) on IOPub, attributed to the request that is
/// running now, or to the last one when output arrives between cells (a background task).
/// </summary>
internal sealed class CellOutputs(KernelSockets sockets)
{
    WireMessage? _parent;

    /// <summary>The request outputs belong to from now on.</summary>
    public WireMessage? Parent
    {
        get => Volatile.Read(ref _parent);
        set => Volatile.Write(ref _parent, value);
    }

    public void Publish(string msgType, JsonObject content) => sockets.Publish(msgType, content, Parent);

    public void Stream(string name, string text) =>
        Publish("stream", new JsonObject { ["name"] = name, ["text"] = text });

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
