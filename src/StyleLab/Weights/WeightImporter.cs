using System.IO.Compression;
using StyleLab.Assets;

namespace StyleLab.Weights;

/// <summary>
/// Files official weights obtained by hand (Google Drive and Yandex.Disk archives, renamed downloads) where
/// the <see cref="WeightResolver"/> finds them: each file, each file of a folder (recursively) and each
/// member of a zip archive is recognised by its content (<see cref="WeightRecognition"/>) and copied to
/// <c>{folder}/{id}/{manifest file name}</c> with its SHA-256 in a <c>.sha256</c> file beside it.
/// </summary>
public static class WeightImporter
{
    /// <summary>Archive members larger than this are not weight files StyleLab knows (the largest is ~550 MB).</summary>
    const long MaxMemberBytes = 2L << 30;

    /// <summary>
    /// Imports every weight file under <paramref name="paths"/> into <paramref name="folder"/> (the user cache,
    /// or a folder named in <c>STYLELAB_WEIGHTS</c>). <paramref name="id"/> settles what recognition leaves
    /// ambiguous (e.g. the torchvision and Caffe VGG-19, which only a hash tells apart).
    /// </summary>
    public static IReadOnlyList<WeightImport> Import(IEnumerable<string> paths, string folder, WeightRegistry? registry = null,
        string? id = null, IProgress<WeightImport>? progress = null, CancellationToken cancellationToken = default)
    {
        registry ??= WeightRegistry.Default;
        if (id is not null) registry.Get(id); // an unknown id fails before anything is copied
        var results = new List<WeightImport>();
        void Add(WeightImport r) { results.Add(r); progress?.Report(r); }
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    ImportFileOrArchive(file, folder, registry, id, Add, cancellationToken);
                }
            }
            else if (File.Exists(path)) ImportFileOrArchive(path, folder, registry, id, Add, cancellationToken);
            else throw new FileNotFoundException($"'{path}' is neither a file nor a folder.", path);
        }
        return results;
    }

    static void ImportFileOrArchive(string path, string folder, WeightRegistry registry, string? id, Action<WeightImport> add, CancellationToken cancellationToken)
    {
        // A .pth zip archive is a weight file, not an archive of them: StateDictFile recognises it first.
        if (IsZip(path) && !IsTorchZip(path))
        {
            using var archive = ZipFile.OpenRead(path);
            foreach (var member in archive.Entries.Where(e => e.FullName[^1] != '/').OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                string source = $"{path}!{member.FullName}";
                if (member.Length > MaxMemberBytes) { add(new(source, $"{member.Length} bytes", null, null, null, "too large for a weight file; skipped")); continue; }
                string temporary = Path.Combine(Path.GetTempPath(), $"stylelab-import-{Guid.NewGuid():N}");
                try
                {
                    member.ExtractToFile(temporary);
                    add(ImportFile(temporary, source, folder, registry, id));
                }
                finally { File.Delete(temporary); }
            }
            return;
        }
        add(ImportFile(path, path, folder, registry, id));
    }

    static WeightImport ImportFile(string path, string source, string folder, WeightRegistry registry, string? id)
    {
        WeightFormat? format;
        WeightRecognition recognition;
        try
        {
            format = StateDictFile.Detect(path);
            if (format is null) return new(source, "not a state-dict file (safetensors, .pth, .t7)", null, null, null, "skipped");
            var stateDict = StateDictFile.Load(path);
            try { recognition = WeightRecognition.Of(stateDict); }
            finally { foreach (var t in stateDict.Values) t.Dispose(); }
        }
        catch (WeightFileException e)
        {
            return new(source, "unreadable", null, null, null, e.Message);
        }
        string sha256 = ExpectedHash.OfFile(path);
        string? chosen = recognition.Resolve(registry, sha256, format, Path.GetFileName(source));
        if (id is not null)
        {
            if (!recognition.Candidates.Contains(id, StringComparer.OrdinalIgnoreCase))
                return new(source, recognition.Description, null, null, sha256,
                    recognition.Candidates.Count == 0 ? $"does not hold '{id}'" : $"holds {string.Join(" or ", recognition.Candidates)}, not '{id}'");
            chosen = registry.Get(id).Id;
        }
        if (chosen is null)
            return new(source, recognition.Description, null, null, sha256,
                recognition.Candidates.Count == 0 ? "no manifest entry holds this" : $"could be {string.Join(" or ", recognition.Candidates)}: name one with --id");

        var entry = registry.Get(chosen);
        string destination = Path.Combine(folder, entry.Id, entry.File);
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        string temporary = destination + ".importing";
        File.Copy(path, temporary, overwrite: true);
        File.Move(temporary, destination, overwrite: true);
        File.WriteAllText(destination + ".sha256", $"{sha256}  {entry.File}\n");
        string? note = entry.ExpectedHash.IsKnown
            ? (entry.ExpectedHash.Accepts(sha256) ? "sha256 matches the manifest" : $"sha256 differs from the manifest's {entry.ExpectedHash}: not the published file")
            : format != entry.Format ? $"published as {Name(entry.Format)}, this copy is {Name(format!.Value)} (read by content either way)" : null;
        return new(source, recognition.Description, entry.Id, destination, sha256, note);
    }

    static string Name(WeightFormat f) => System.Text.Json.JsonSerializer.Serialize(f).Trim('"');

    static bool IsZip(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /// <summary>torch.save's zip holds <c>{name}/data.pkl</c>.</summary>
    static bool IsTorchZip(string path)
    {
        try
        {
            using var archive = ZipFile.OpenRead(path);
            return archive.Entries.Any(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal));
        }
        catch (InvalidDataException) { return false; }
    }
}
