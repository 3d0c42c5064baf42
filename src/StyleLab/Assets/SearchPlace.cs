namespace StyleLab.Assets;

/// <summary>One folder searched for a file, with why it was searched (shown when the file is missing).</summary>
/// <param name="Origin">Where the folder came from: "STYLELAB_WEIGHTS", "repository", "cache", …</param>
/// <param name="Directory">The folder.</param>
public sealed record SearchPlace(string Origin, string Directory)
{
    /// <summary>
    /// The file in this folder: first in a sub-folder named <paramref name="subfolder"/>, then directly,
    /// then in any one sub-folder (../shared keeps <c>weights/&lt;collection&gt;/&lt;file&gt;</c>). Null when absent.
    /// </summary>
    public string? Find(string relativeFile, string? subfolder = null)
    {
        if (!System.IO.Directory.Exists(Directory)) return null;
        if (subfolder is not null && Existing(Path.Combine(Directory, subfolder, relativeFile)) is { } inOwn) return inOwn;
        if (Existing(Path.Combine(Directory, relativeFile)) is { } direct) return direct;
        try
        {
            // Sorted so that the same file wins on every machine.
            foreach (var sub in System.IO.Directory.EnumerateDirectories(Directory).Order(StringComparer.Ordinal))
                if (Existing(Path.Combine(sub, relativeFile)) is { } nested) return nested;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException) { }
        return null;
    }

    static string? Existing(string path) => File.Exists(path) ? Path.GetFullPath(path) : null;

    public override string ToString() => $"{Directory} ({Origin})";
}
