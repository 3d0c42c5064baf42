using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace StyleLab.Kernel;

/// <summary>
/// Loads assemblies named by <c>#r "x.dll"</c> into the default load context before a cell runs.
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
