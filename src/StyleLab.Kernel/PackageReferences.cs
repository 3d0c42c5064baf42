namespace StyleLab.Kernel;

/// <summary>
/// The packages a notebook has loaded with <c>#r "nuget: …"</c> and the sources it added with
/// <c>#i "nuget: …"</c>. A package is restored once per kernel (and once per machine for a pinned
/// version, see <see cref="PackageRestore"/>); a second, different version of a loaded package is refused.
/// </summary>
internal sealed class PackageReferences(DefaultContextLoader loader, string workingDirectory)
{
    readonly Dictionary<string, string> _loaded = new(StringComparer.OrdinalIgnoreCase);
    readonly List<string> _sources = [];

    /// <summary>
    /// Adds the cell's sources, restores its packages that are not loaded yet and loads their assemblies
    /// into the kernel; returns the assemblies the cell may now reference.
    /// </summary>
    /// <exception cref="InvalidOperationException">A restore failed, or a package or assembly is loaded in another version.</exception>
    /// <exception cref="DirectoryNotFoundException">An <c>#i</c> folder that does not exist.</exception>
    public IReadOnlyList<string> Add(PackageDirectives directives, IProgress<string> progress, CancellationToken cancellationToken)
    {
        foreach (string source in directives.Sources.Select(Resolve))
        {
            if (_sources.Contains(source)) continue;
            _sources.Add(source);
            progress.Report($"Package source added: {source}");
        }

        var wanted = new List<PackageRequest>();
        foreach (var package in directives.Packages)
        {
            if (_loaded.TryGetValue(package.Name, out string? version))
            {
                if (package.Version is not null && package.Version != version)
                    throw new InvalidOperationException(
                        $"#r \"nuget: {package.Name}, {package.Version}\": {package.Name} {version} is already loaded in this kernel, " +
                        "and a second version of a package cannot be loaded beside it (an assembly loads once per process). " +
                        "Restart the kernel to switch versions.");
                progress.Report($"{package.Name} {version} is already loaded");
                continue;
            }
            wanted.Add(package);
        }
        if (wanted.Count == 0) return [];

        var restored = PackageRestore.Run(wanted, _sources, progress, cancellationToken);
        loader.LoadPackageAssemblies(restored.Assemblies, $"#r \"nuget: {string.Join(", ", wanted)}\"");
        foreach (var package in wanted)
            _loaded[package.Name] = restored.Versions.GetValueOrDefault(package.Name) ?? package.Version ?? "?";
        return restored.Assemblies;
    }

    /// <summary>A feed URL as it is; a folder relative to the notebook's, which must exist.</summary>
    string Resolve(string source)
    {
        if (source.Contains("://", StringComparison.Ordinal)) return source;
        string folder = Path.GetFullPath(source.StartsWith('~')
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + source[1..]
            : Path.Combine(workingDirectory, source));
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"#i \"nuget: {source}\": the folder {folder} does not exist (a package source is a feed URL or a folder of .nupkg files).");
        return folder;
    }
}
