namespace StyleLab.Assets;

/// <summary>
/// Where StyleLab looks for files it does not ship (weights, sample images): environment variables,
/// the repository checkout, the user cache. A record so that tests can point every place at a
/// temporary folder without touching the real environment.
/// </summary>
/// <param name="Variable">Reads an environment variable (null when unset).</param>
/// <param name="RepositoryRoot">The checkout's root folder (holds <c>StyleLab.slnx</c>), or null outside one.</param>
/// <param name="CacheRoot">StyleLab's user cache; downloads go to <c>weights/</c> and <c>data/</c> below it.</param>
public sealed record AssetEnvironment(Func<string, string?> Variable, string? RepositoryRoot, string CacheRoot)
{
    /// <summary>The process's environment, the checkout the running assembly sits in, and the user cache.</summary>
    public static AssetEnvironment Current { get; } = FromVariables(Environment.GetEnvironmentVariable, RepositoryLayout.FindRoot());

    /// <summary>
    /// Builds the environment from variables: the cache is <c>$STYLELAB_CACHE</c>, else
    /// <c>$XDG_CACHE_HOME/stylelab</c>, else <c>~/.cache/stylelab</c>.
    /// </summary>
    public static AssetEnvironment FromVariables(Func<string, string?> variable, string? repositoryRoot) =>
        new(variable, repositoryRoot, CacheRootFrom(variable));

    static string CacheRootFrom(Func<string, string?> variable)
    {
        if (NonEmpty(variable("STYLELAB_CACHE")) is { } own) return Path.GetFullPath(own);
        if (NonEmpty(variable("XDG_CACHE_HOME")) is { } xdg) return Path.Combine(Path.GetFullPath(xdg), "stylelab");
        string home = NonEmpty(variable("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "stylelab");
    }

    /// <summary>The folders listed in a <see cref="Path.PathSeparator"/>-separated variable, empty entries dropped.</summary>
    public IReadOnlyList<string> Folders(string variableName) =>
        (Variable(variableName) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Path.GetFullPath)
            .ToList();

    static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
