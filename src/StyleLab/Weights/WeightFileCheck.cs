using StyleLab.Assets;

namespace StyleLab.Weights;

/// <summary>What a file's SHA-256 says once compared with everything that records one.</summary>
public enum WeightFileOutcome
{
    /// <summary>A record agrees and none disagrees.</summary>
    Ok,
    /// <summary>Nothing records this file's hash.</summary>
    Unknown,
    /// <summary>A record disagrees: the file is corrupt, truncated or another file.</summary>
    Mismatch,
}

/// <summary>
/// One file's SHA-256 compared with the manifest (the entry its hash or its name points to) and with a
/// <c>&lt;file&gt;.sha256</c> beside it (as <c>sha256sum</c> and <c>stylelab weights import</c> write it).
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
/// <param name="Manifest">The manifest entry it was compared with and the verdict, or null when no entry names it.</param>
/// <param name="NameCandidates">Manifest ids published under this file's name, when none could be chosen (several, no hash).</param>
/// <param name="Sidecar">The hash its <c>.sha256</c> file records (or the file's first line when that is no hash); null without one.</param>
public sealed record WeightFileCheck(string Path, string Sha256, WeightVerification? Manifest, IReadOnlyList<string> NameCandidates, string? Sidecar)
{
    /// <summary>The extension of the file that records a weight file's SHA-256 beside it.</summary>
    public const string SidecarExtension = ".sha256";

    /// <summary>True when the <c>.sha256</c> beside the file agrees; false when it disagrees or is unreadable; null without one.</summary>
    public bool? SidecarMatches => Sidecar is null ? null : string.Equals(Sidecar, Sha256, StringComparison.OrdinalIgnoreCase);

    /// <summary>Mismatch when any record disagrees; Ok when one agrees; else Unknown.</summary>
    public WeightFileOutcome Outcome =>
        Manifest is { Verdict: WeightVerdict.Mismatch } || SidecarMatches == false ? WeightFileOutcome.Mismatch
        : Manifest is { Verdict: WeightVerdict.Verified or WeightVerdict.PrefixVerified or WeightVerdict.MatchesTestedCopy } || SidecarMatches == true
            ? WeightFileOutcome.Ok
            : WeightFileOutcome.Unknown;

    /// <summary>
    /// Hashes <paramref name="path"/> and compares it. The manifest entry is <paramref name="entry"/> when given;
    /// else one whose published or tested hash the file has (a renamed copy); else the one published under the
    /// file's name (preferring an entry whose id names a folder on the path, as <c>weights import</c> files them).
    /// Several entries of that name with no way to choose give no manifest verdict, only the candidates.
    /// </summary>
    public static WeightFileCheck Of(string path, WeightRegistry registry, WeightEntry? entry = null)
    {
        string sha256 = ExpectedHash.OfFile(path);
        IReadOnlyList<string> candidates = [];
        if (entry is null)
        {
            var byHash = registry.All.Where(e => e.ExpectedHash.IsKnown && e.ExpectedHash.Accepts(sha256)
                || string.Equals(e.TestedSha256, sha256, StringComparison.OrdinalIgnoreCase)).ToList();
            var byName = registry.All.Where(e => NamedBy(e, path)).ToList();
            var inIdFolder = byName.Where(e => FolderNames(path).Contains(e.Id, StringComparer.OrdinalIgnoreCase)).ToList();
            if (byHash.Count > 0) entry = byHash.FirstOrDefault(byName.Contains) ?? byHash[0];
            else if (inIdFolder.Count == 1) entry = inIdFolder[0];
            else if (byName.Count == 1) entry = byName[0];
            else if (byName.Count > 1 && byName.All(e => e.ExpectedHash.IsKnown)) entry = byName[0];   // every one disagrees
            else candidates = byName.Select(e => e.Id).ToList();
        }
        var manifest = entry is null ? null : WeightResolver.Verify(entry, path, sha256);
        return new WeightFileCheck(path, sha256, manifest, candidates, ReadSidecar(path));
    }

    /// <summary>
    /// The files under a weights folder that hold weights: every file except <c>.sha256</c> records, partial
    /// downloads or imports, text (<c>README.md</c>, licences) and StyleLab's own manifest at the folder's root.
    /// </summary>
    public static IEnumerable<string> FilesUnder(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => System.IO.Path.GetExtension(f) is not (SidecarExtension or ".importing" or ".part" or ".download" or ".md" or ".txt"))
            .Where(f => !(System.IO.Path.GetFileName(f) == "manifest.json" && System.IO.Path.GetDirectoryName(f) == System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(folder))))
            .Order(StringComparer.Ordinal);

    /// <summary>The manifest's file name (which may include folders, <c>udnie/manifest.json</c>) is the path's tail.</summary>
    static bool NamedBy(WeightEntry entry, string path)
    {
        string full = System.IO.Path.GetFullPath(path).Replace('\\', '/'), file = entry.File.Replace('\\', '/');
        return full.EndsWith("/" + file, StringComparison.Ordinal);
    }

    static IEnumerable<string> FolderNames(string path) =>
        System.IO.Path.GetFullPath(path).Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).SkipLast(1);

    /// <summary><c>sha256sum</c>'s line: the hex digest, then the name. A file that starts otherwise is returned as it reads, to mismatch.</summary>
    static string? ReadSidecar(string path)
    {
        string sidecar = path + SidecarExtension;
        if (!File.Exists(sidecar)) return null;
        using var reader = new StreamReader(sidecar);
        var line = new char[256];
        int n = reader.ReadBlock(line, 0, line.Length);
        string first = new string(line, 0, n).Split('\n')[0].Trim();
        string digest = first.Split(' ', '\t')[0];
        return digest.Length == 64 && digest.All(Uri.IsHexDigit) ? digest.ToLowerInvariant() : $"unreadable: '{first}'";
    }
}
