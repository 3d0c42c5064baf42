using StyleLab.Assets;

namespace StyleLab.Weights;

/// <summary>A weight file is in none of the places searched; the message lists them and how to get the file.</summary>
public sealed class WeightNotFoundException : FileNotFoundException
{
    public WeightNotFoundException(WeightEntry entry, IReadOnlyList<SearchPlace> searched, string? downloadFailure = null)
        : base(Describe(entry, searched, downloadFailure), entry.File)
    {
        Entry = entry;
        Searched = searched;
    }

    /// <summary>The weights that were looked for.</summary>
    public WeightEntry Entry { get; }

    /// <summary>Every folder searched, in order.</summary>
    public IReadOnlyList<SearchPlace> Searched { get; }

    static string Describe(WeightEntry entry, IReadOnlyList<SearchPlace> searched, string? downloadFailure)
    {
        string places = string.Join("; ", searched.Select(p => p.ToString()));
        string how = entry.Downloadable
            ? $"run `stylelab weights fetch {entry.Id}` or download {entry.Urls[0]} into one of those folders"
            : entry.Obtain is { } obtain
                ? obtain.TrimEnd('.') + (obtain.Contains("STYLELAB_WEIGHTS") ? "" : ", then set STYLELAB_WEIGHTS to its folder")
                : $"download it by hand from {entry.Homepage}, then set STYLELAB_WEIGHTS to its folder";
        string failure = downloadFailure is null ? "" : $" Download failed: {downloadFailure}.";
        return $"weights '{entry.Id}' ({entry.File}) not found. Looked in: {places}.{failure} To obtain it: {how}.";
    }
}
