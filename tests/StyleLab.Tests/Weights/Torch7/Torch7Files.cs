namespace StyleLab.Tests.Weights.Torch7;

/// <summary>The real Lua-written files in ../shared/fixtures/torch7 (absent without ../shared).</summary>
public static class Torch7Files
{
    public static string? Folder => TestPaths.Shared is { } s && Directory.Exists(Path.Combine(s, "fixtures", "torch7"))
        ? Path.Combine(s, "fixtures", "torch7")
        : null;

    public static string Require(string name)
    {
        Skip.If(Folder is null, "../shared/fixtures/torch7 is absent");
        return Path.Combine(Folder!, name);
    }

    /// <summary>Every fixture that holds data (not the two serialised functions).</summary>
    public static IEnumerable<string> DataFiles => Folder is null ? [] :
        Directory.GetFiles(Folder, "*.t7").Where(f => !Path.GetFileName(f).StartsWith("function", StringComparison.Ordinal)).Order();
}
