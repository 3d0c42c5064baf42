using System.Text.Json;
using System.Text.Json.Nodes;

namespace StyleLab.Weights;

/// <summary>
/// The JSON headers of weight files (safetensors, tfjs manifests), parsed and checked whole before use.
/// </summary>
/// <remarks>
/// <see cref="JsonNode.Parse(ReadOnlySpan{byte}, JsonNodeOptions?, JsonDocumentOptions)"/> builds objects lazily:
/// a name given twice, or a name or string that is not valid UTF-8, surfaces only when that object is first enumerated, as an
/// <see cref="ArgumentException"/> or <see cref="InvalidOperationException"/> far from the parse. Walking the whole
/// tree once here turns every such problem into one <see cref="WeightFileException"/> that names the file.
/// </remarks>
internal static class StrictJson
{
    /// <summary>Parses <paramref name="bytes"/> as a JSON object; <paramref name="what"/> ("the safetensors header") names it in errors.</summary>
    /// <exception cref="WeightFileException">Not JSON, not an object, a repeated name, or text that is not UTF-8.</exception>
    public static JsonObject ParseObject(ReadOnlySpan<byte> bytes, string file, string what)
    {
        try
        {
            var root = JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException($"{what} is not a JSON object");
            Visit(root);
            return root;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            string problem = e is ArgumentException ? "it gives a name twice" : e.Message;
            throw new WeightFileException(file, $"{what} is not a valid JSON object ({problem}).", e);
        }
    }

    static void Visit(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o) Visit(value);
                break;
            case JsonArray a:
                foreach (var value in a) Visit(value);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                _ = v.GetValue<string>();   // transcodes, so bytes that are not UTF-8 fail here
                break;
        }
    }
}
