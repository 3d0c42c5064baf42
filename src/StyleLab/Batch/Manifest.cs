using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StyleLab.Methods;

namespace StyleLab.Batch;

/// <summary>
/// A batch manifest: one <see cref="BatchItem"/> per line, as CSV (a header row, then
/// <c>content,style,method,output[,alpha,mix,preserve_color,size]</c>; several styles or mix weights separated by
/// <c>;</c>) or JSON Lines (<c>{"content":…,"styles":[…],"method":…,"output":…,"alpha":…,"mix":[…],"preserve_color":…,"size":…}</c>,
/// <c>"style"</c> for one). The extension decides: <c>.csv</c>, or <c>.jsonl</c>/<c>.ndjson</c>. Relative content and
/// style paths are read against the manifest's folder; outputs stay relative to the run's output folder.
/// </summary>
public static class Manifest
{
    static readonly string[] Columns = ["content", "style", "method", "output", "alpha", "mix", "preserve_color", "size"];
    static readonly string[] OutputExtensions = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>Reads and checks a manifest (every output relative, inside the output folder, and unique; every method known).</summary>
    /// <exception cref="ManifestException">The file is malformed; the message names the line.</exception>
    public static IReadOnlyList<BatchItem> Load(string path)
    {
        if (!File.Exists(path)) throw new ManifestException(path, 0, "no such file.");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var lines = File.ReadAllLines(path);
        var items = IsCsv(path) ? ReadCsv(path, lines) : ReadJsonLines(path, lines);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<BatchItem>(items.Count);
        foreach (var (line, item) in items)
        {
            string? problem = Problem(item);
            if (problem is not null) throw new ManifestException(path, line, problem);
            string output = NormaliseOutput(item.Output);
            if (!seen.TryAdd(output, line)) throw new ManifestException(path, line, $"output '{output}' is also line {seen[output]}'s: each output must be written once.");
            string Resolve(string p) => Path.IsPathRooted(p) ? p : Path.GetFullPath(Path.Combine(folder, p));
            bool stylesAreFiles = item.Method != "fast";
            result.Add(item with
            {
                Content = Resolve(item.Content),
                Styles = item.Styles.Select(s => stylesAreFiles || s.Contains('/') ? Resolve(s) : s).ToList(),
                Output = output,
            });
        }
        return result;
    }

    /// <summary>Writes <paramref name="items"/> as CSV or JSON Lines (by extension), content and style paths as given.</summary>
    public static void Save(string path, IEnumerable<BatchItem> items)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        bool csv = IsCsv(path);
        if (csv) writer.WriteLine(string.Join(',', Columns));
        foreach (var item in items)
            writer.WriteLine(csv ? ToCsv(item) : ToJson(item));
    }

    /// <summary>An output path in the one spelling shards and logs use: '/'-separated, no leading './'.</summary>
    public static string NormaliseOutput(string output)
    {
        var parts = output.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
        return string.Join('/', parts);
    }

    static bool IsCsv(string path) => Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase);

    static string? Problem(BatchItem item)
    {
        if (string.IsNullOrWhiteSpace(item.Content)) return "no content image.";
        if (!StyleTransferFactory.Methods.Contains(item.Method)) return $"unknown method '{item.Method}' (the methods are {string.Join(", ", StyleTransferFactory.Methods)}).";
        if (item.Styles.Count == 0) return "no style (for fast, the network's name, e.g. wave).";
        if (string.IsNullOrWhiteSpace(item.Output)) return "no output path.";
        if (Path.IsPathRooted(item.Output)) return $"output '{item.Output}' is absolute; outputs are relative to the run's --output folder.";
        if (NormaliseOutput(item.Output).Split('/').Contains("..")) return $"output '{item.Output}' leaves the output folder ('..').";
        if (!OutputExtensions.Contains(Path.GetExtension(item.Output).ToLowerInvariant())) return $"output '{item.Output}' must end in {string.Join(", ", OutputExtensions)}.";
        if (!(item.Alpha >= 0 && item.Alpha <= 1)) return $"alpha must lie in [0, 1], not {item.Alpha.ToString(CultureInfo.InvariantCulture)}.";
        if (item.Size is < 16) return $"size must be at least 16 pixels, not {item.Size}.";
        if (item.Mix is { } mix && (mix.Count != item.Styles.Count || mix.Any(w => !(w >= 0)) || mix.Sum() <= 0))
            return $"mix needs one non-negative weight per style ({item.Styles.Count}), not all zero.";
        return null;
    }

    static List<(int Line, BatchItem Item)> ReadCsv(string path, string[] lines)
    {
        var items = new List<(int, BatchItem)>();
        if (lines.Length == 0) throw new ManifestException(path, 0, $"empty; the first line names the columns: {string.Join(',', Columns)}.");
        var header = CsvFields(lines[0], path, 1).Select(h => h.Trim().ToLowerInvariant()).ToList();
        foreach (var required in Columns.Take(4))
            if (!header.Contains(required)) throw new ManifestException(path, 1, $"no '{required}' column; the columns are {string.Join(',', Columns)}.");
        foreach (var unknown in header.Where(h => !Columns.Contains(h)))
            throw new ManifestException(path, 1, $"unknown column '{unknown}'; the columns are {string.Join(',', Columns)}.");
        for (int i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var fields = CsvFields(lines[i], path, i + 1);
            if (fields.Count != header.Count) throw new ManifestException(path, i + 1, $"{fields.Count} fields for {header.Count} columns.");
            string? Get(string column) => header.IndexOf(column) is int k and >= 0 && fields[k].Trim() is { Length: > 0 } v ? v : null;
            try
            {
                items.Add((i + 1, new BatchItem(Get("content") ?? "", Split(Get("style")), Get("method")?.ToLowerInvariant() ?? "", Get("output") ?? "")
                {
                    Alpha = Get("alpha") is { } a ? double.Parse(a, CultureInfo.InvariantCulture) : 1,
                    Mix = Get("mix") is { } m ? Split(m).Select(w => double.Parse(w, CultureInfo.InvariantCulture)).ToList() : null,
                    PreserveColor = Get("preserve_color") is { } p && bool.Parse(p),
                    Size = Get("size") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : null,
                }));
            }
            catch (FormatException e) { throw new ManifestException(path, i + 1, e.Message); }
        }
        return items;
    }

    static List<string> Split(string? list) => list is null ? [] : list.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>RFC 4180 fields of one line: commas separate, double quotes enclose, "" is a quote.</summary>
    static List<string> CsvFields(string line, string path, int number)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        if (quoted) throw new ManifestException(path, number, "a quoted field is not closed.");
        fields.Add(field.ToString());
        return fields;
    }

    static List<(int Line, BatchItem Item)> ReadJsonLines(string path, string[] lines)
    {
        var items = new List<(int, BatchItem)>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            try
            {
                var o = JsonNode.Parse(lines[i]) as JsonObject ?? throw new ManifestException(path, i + 1, "not a JSON object.");
                foreach (var key in o.Select(kv => kv.Key).Where(k => k != "styles" && !Columns.Contains(k)))
                    throw new ManifestException(path, i + 1, $"unknown field '{key}'; the fields are styles, {string.Join(", ", Columns)}.");
                var styles = o["styles"] is JsonArray a ? a.Select(s => s!.GetValue<string>()).ToList()
                    : o["style"] is { } s ? [s.GetValue<string>()] : [];
                items.Add((i + 1, new BatchItem(o["content"]?.GetValue<string>() ?? "", styles, o["method"]?.GetValue<string>().ToLowerInvariant() ?? "", o["output"]?.GetValue<string>() ?? "")
                {
                    Alpha = o["alpha"]?.GetValue<double>() ?? 1,
                    Mix = o["mix"] is JsonArray m ? m.Select(w => w!.GetValue<double>()).ToList() : null,
                    PreserveColor = o["preserve_color"]?.GetValue<bool>() ?? false,
                    Size = o["size"]?.GetValue<int>(),
                }));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                throw new ManifestException(path, i + 1, e.Message);
            }
        }
        return items;
    }

    static string ToCsv(BatchItem item)
    {
        static string Quote(string field) => field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
        string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        return string.Join(',', new[]
        {
            item.Content, string.Join(';', item.Styles), item.Method, item.Output,
            item.Alpha == 1 ? "" : Number(item.Alpha),
            item.Mix is null ? "" : string.Join(';', item.Mix.Select(Number)),
            item.PreserveColor ? "true" : "",
            item.Size?.ToString(CultureInfo.InvariantCulture) ?? "",
        }.Select(Quote));
    }

    static string ToJson(BatchItem item)
    {
        var o = new JsonObject
        {
            ["content"] = item.Content,
            ["styles"] = new JsonArray(item.Styles.Select(s => (JsonNode)s).ToArray()),
            ["method"] = item.Method,
            ["output"] = item.Output,
        };
        if (item.Alpha != 1) o["alpha"] = item.Alpha;
        if (item.Mix is not null) o["mix"] = new JsonArray(item.Mix.Select(w => (JsonNode)w).ToArray());
        if (item.PreserveColor) o["preserve_color"] = true;
        if (item.Size is int size) o["size"] = size;
        return o.ToJsonString();
    }
}
