using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace StyleLab.Kernel;

/// <summary>
/// Loads assemblies named by <c>#r "x.dll"</c> or brought by <c>#r "nuget: …"</c> into the default load context before a cell runs.
/// </summary>
/// <remarks>
/// Roslyn's loader would give each <c>#r</c> assembly a context of its own, so a shared dependency
/// (FSharp.Core under Plotly.NET) gets loaded twice and calls across the two copies fail with
/// MissingMethodException. In the default context there is one copy of everything; the
/// assemblies' folders are probed for their dependencies.
/// </remarks>
internal sealed class DefaultContextLoader
{
    readonly HashSet<string> _loaded = new(StringComparer.Ordinal);
    readonly List<string> _probeDirectories = [];

    /// <summary>The loader scripts are created with; it hands out what this class loaded.</summary>
    public InteractiveAssemblyLoader ScriptLoader { get; } = new();

    public DefaultContextLoader() => AssemblyLoadContext.Default.Resolving += Resolve;

    /// <summary>Loads the compilation's new <c>#r</c> file references.</summary>
    public void LoadDirectiveReferences(Compilation compilation)
    {
        foreach (var reference in compilation.DirectiveReferences.OfType<PortableExecutableReference>())
        {
            string? path = reference.FilePath;
            if (path is null || !_loaded.Add(path) || !File.Exists(path)) continue;
            string dir = Path.GetDirectoryName(path)!;
            lock (_probeDirectories) if (!_probeDirectories.Contains(dir)) _probeDirectories.Add(dir);
            ScriptLoader.RegisterDependency(LoadOrReuse(path));
        }
    }

    /// <summary>
    /// Loads a restored package's assemblies, all or none: an assembly the process already has in another
    /// version is refused (<paramref name="request"/> names the directive in the message), since a
    /// second version cannot join the default context and the cell would silently run against the first.
    /// </summary>
    /// <exception cref="InvalidOperationException">One or more of the assemblies is loaded in another version.</exception>
    public void LoadPackageAssemblies(IReadOnlyList<string> paths, string request)
    {
        var loaded = AssemblyLoadContext.Default.Assemblies.Select(a => a.GetName())
            .GroupBy(n => n.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key!, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var conflicts = new List<string>();
        foreach (var name in paths.Select(AssemblyName.GetAssemblyName))
        {
            // The kernel's own dependencies (StyleLab's among them) bind by name from the kernel's folder, loaded yet or not.
            var had = loaded.GetValueOrDefault(name.Name!) ?? (KernelOwn.Value.TryGetValue(name.Name!, out string? own) ? AssemblyName.GetAssemblyName(own) : null);
            if (had is not null && had.Version != name.Version)
                conflicts.Add($"  {name.Name} {name.Version} (this kernel has {had.Version})");
        }
        if (conflicts.Count > 0)
            throw new InvalidOperationException(
                $"{request}: refused, because it needs a different version of an assembly this kernel has already loaded:\n" +
                string.Join("\n", conflicts) + "\nAn assembly loads once per process: restart the kernel, then reference the " +
                "versions you want before anything loads the others (or pick a version of the package that matches).");
        foreach (string path in paths)
        {
            if (!_loaded.Add(path)) continue;
            // Same version as one of the kernel's own: the runtime binds the kernel's copy, which is identical.
            string dir = Path.GetDirectoryName(path)!;
            lock (_probeDirectories) if (!_probeDirectories.Contains(dir)) _probeDirectories.Add(dir);
            ScriptLoader.RegisterDependency(LoadOrReuse(path));
        }
    }

    /// <summary>The assemblies the kernel was started with (its deps.json): name → path.</summary>
    static readonly Lazy<Dictionary<string, string>> KernelOwn = new(() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase));

    static Assembly LoadOrReuse(string path)
    {
        var name = AssemblyName.GetAssemblyName(path);
        // A second copy of an assembly the process already has cannot join the default context.
        var existing = AssemblyLoadContext.Default.Assemblies.FirstOrDefault(a =>
            AssemblyName.ReferenceMatchesDefinition(a.GetName(), name) && a.GetName().Name == name.Name);
        if (existing is not null)
        {
            if (existing.GetName().Version != name.Version)
                Log.Warn($"#r {path}: {name.Name} {existing.GetName().Version} is already loaded and is used instead of {name.Version}");
            return existing;
        }
        return AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
    }

    Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        string[] dirs;
        lock (_probeDirectories) dirs = [.. _probeDirectories];
        foreach (string dir in dirs)
        {
            string candidate = Path.Combine(dir, name.Name + ".dll");
            if (File.Exists(candidate)) return context.LoadFromAssemblyPath(candidate);
        }
        return null;
    }
}
