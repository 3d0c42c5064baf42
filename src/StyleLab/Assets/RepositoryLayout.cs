namespace StyleLab.Assets;

/// <summary>Finds the StyleLab checkout a program runs from, so that its <c>weights/</c> and <c>data/</c> folders are searched.</summary>
public static class RepositoryLayout
{
    /// <summary>The file that marks the repository root.</summary>
    public const string Marker = "StyleLab.slnx";

    /// <summary>
    /// Walks up from <paramref name="start"/> (default: this assembly's folder, then the app's base
    /// folder) to the first folder holding <see cref="Marker"/>; null when there is none, e.g. in a
    /// published build.
    /// </summary>
    public static string? FindRoot(string? start = null)
    {
        var starts = start is not null ? [start]
            : new[] { Path.GetDirectoryName(typeof(RepositoryLayout).Assembly.Location), AppContext.BaseDirectory };
        foreach (var s in starts.Where(s => !string.IsNullOrEmpty(s)))
            for (var dir = new DirectoryInfo(s!); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, Marker))) return dir.FullName;
        return null;
    }
}
