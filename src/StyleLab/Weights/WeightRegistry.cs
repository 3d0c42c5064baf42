using System.Text.Json;

namespace StyleLab.Weights;

/// <summary>
/// The weights StyleLab knows, read from <c>weights/manifest.json</c> (compiled into the library, so
/// a published build has it too).
/// </summary>
public sealed class WeightRegistry
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };
    readonly Dictionary<string, WeightEntry> _byId;

    WeightRegistry(IReadOnlyList<WeightEntry> entries)
    {
        All = entries;
        _byId = new Dictionary<string, WeightEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries)
            if (!_byId.TryAdd(e.Id, e)) throw new InvalidDataException($"weights manifest: id '{e.Id}' appears twice.");
    }

    /// <summary>The manifest compiled into StyleLab.</summary>
    public static WeightRegistry Default => LazyDefault.Value;
    static readonly Lazy<WeightRegistry> LazyDefault = new(() =>
    {
        using var stream = typeof(WeightRegistry).Assembly.GetManifestResourceStream("StyleLab.weights.manifest.json")
            ?? throw new InvalidOperationException("The weights manifest is not embedded in StyleLab.dll.");
        return Load(stream, "weights/manifest.json");
    });

    /// <summary>Reads a manifest file.</summary>
    public static WeightRegistry Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Reads a manifest: <c>{ "weights": [ entry, … ] }</c>.</summary>
    public static WeightRegistry Load(Stream stream, string displayName)
    {
        try
        {
            var document = JsonSerializer.Deserialize<Manifest>(stream, Json)
                ?? throw new InvalidDataException($"{displayName}: empty manifest.");
            return new WeightRegistry(document.Weights);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{displayName}: {e.Message}", e);
        }
    }

    /// <summary>Every entry, in manifest order.</summary>
    public IReadOnlyList<WeightEntry> All { get; }

    /// <summary>The entry with this id (case-insensitive); an error lists the known ids.</summary>
    public WeightEntry Get(string id) => TryGet(id, out var entry) ? entry
        : throw new KeyNotFoundException($"unknown weights id '{id}'; known ids: {string.Join(", ", All.Select(e => e.Id))}.");

    public bool TryGet(string id, out WeightEntry entry) => _byId.TryGetValue(id, out entry!);

    sealed record Manifest(IReadOnlyList<WeightEntry> Weights);
}
