using System.Text.RegularExpressions;

namespace StyleLab.Kernel;

/// <summary>A package a cell asks for: <c>#r "nuget: Name"</c> (the latest stable) or <c>#r "nuget: Name, Version"</c>.</summary>
public sealed record PackageRequest(string Name, string? Version)
{
    public override string ToString() => Version is null ? Name : $"{Name} {Version}";
}

/// <summary>
/// The package lines of a cell, as .NET Interactive spelled them: <c>#r "nuget: Name[, Version]"</c> and
/// <c>#i "nuget: &lt;source&gt;"</c> (a feed URL or a local folder). They are not C#, so they are taken out of
/// the code (as empty lines: error positions stay the cell's own) before the cell is compiled.
/// </summary>
/// <param name="Code">The cell without its package lines.</param>
/// <param name="Packages">The packages it references, in order.</param>
/// <param name="Sources">The package sources it adds, in order.</param>
public sealed partial record PackageDirectives(string Code, IReadOnlyList<PackageRequest> Packages, IReadOnlyList<string> Sources)
{
    /// <summary>Whether the cell had no package lines.</summary>
    public bool IsEmpty => Packages.Count == 0 && Sources.Count == 0;

    /// <summary>Splits the package lines off <paramref name="code"/>.</summary>
    /// <exception cref="ArgumentException">A package name that is not a NuGet package id.</exception>
    public static PackageDirectives Parse(string code)
    {
        if (!code.Contains("nuget:", StringComparison.OrdinalIgnoreCase)) return new(code, [], []);
        var packages = new List<PackageRequest>();
        var sources = new List<string>();
        string[] lines = code.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (Reference().Match(line) is { Success: true } r)
            {
                string name = r.Groups["name"].Value;
                if (!PackageId().IsMatch(name))
                    throw new ArgumentException($"#r \"nuget: {name}\" (line {i + 1}): '{name}' is not a NuGet package id (letters, digits, '.', '-', '_').");
                packages.Add(new PackageRequest(name, r.Groups["version"] is { Success: true } v ? v.Value : null));
            }
            else if (Source().Match(line) is { Success: true } s)
                sources.Add(s.Groups["source"].Value);
            else continue;
            lines[i] = lines[i].EndsWith('\r') ? "\r" : "";
        }
        return packages.Count == 0 && sources.Count == 0 ? new(code, [], []) : new(string.Join('\n', lines), packages, sources);
    }

    [GeneratedRegex(@"^\s*#r\s+""nuget:\s*(?<name>[^,""\s]+)\s*(,\s*(?<version>[^,""\s]+)\s*)?""\s*(//.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Reference();

    [GeneratedRegex(@"^\s*#i\s+""nuget:\s*(?<source>[^""]*[^""\s])\s*""\s*(//.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Source();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")]
    private static partial Regex PackageId();
}
