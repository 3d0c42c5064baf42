using System.Collections.Immutable;
using System.Reflection;
using Microsoft.AspNetCore.Html;
using Microsoft.CodeAnalysis;
using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;

namespace StyleLab.Kernel;

/// <summary>What every cell compiles against and imports, shared by execution, completion and inspection.</summary>
internal static class ScriptReferences
{
    /// <summary>
    /// Namespaces every cell has. <c>static TorchSharp.torch</c> is left out: it would put
    /// <c>max</c>, <c>abs</c>, <c>nn</c>… into scope and shadow names users expect.
    /// </summary>
    public static readonly ImmutableArray<string> Imports =
    [
        "System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading",
        "System.Threading.Tasks", "TorchSharp", "Microsoft.DotNet.Interactive.Formatting",
    ];

    /// <summary>
    /// The framework assemblies cells see. Not all ~170: Roslyn's script chain costs memory in
    /// proportion to references × cells (measured: 200 cells grew the heap by ~175 MB with every
    /// framework assembly, ~4x less with this list). Others are one <c>#r "System.Xml.ReaderWriter"</c> away.
    /// </summary>
    static readonly HashSet<string> FrameworkAssemblies =
    [
        "System.Private.CoreLib", "System.Runtime", "netstandard", "mscorlib", "Microsoft.CSharp",
        "System.Collections", "System.Collections.Concurrent", "System.Collections.Immutable", "System.Console",
        "System.Linq", "System.Linq.Expressions", "System.Memory", "System.ObjectModel", "System.Private.Uri",
        "System.Threading", "System.Threading.Tasks", "System.Threading.Thread", "System.Threading.Tasks.Parallel",
        "System.Text.RegularExpressions", "System.Text.Json", "System.Text.Encoding.Extensions", "System.Net.Http",
        "System.Net.Primitives", "System.Numerics.Vectors", "System.Runtime.Numerics", "System.IO.Compression",
        "System.ComponentModel.Primitives", "System.Diagnostics.Process", "System.Runtime.InteropServices",
        "System.Runtime.Loader", "System.Runtime.Extensions", "System.Diagnostics.Debug", "System.Globalization",
        "System.IO", "System.IO.FileSystem", "System.Reflection", "System.Reflection.Extensions",
        "System.Reflection.Primitives", "System.Text.Encoding", "System.ValueTuple",
    ];

    /// <summary>
    /// What cells are compiled against to run: the runtime's own framework assemblies (Roslyn
    /// scripting always adds the running corelib, which clashes with reference assemblies),
    /// StyleLab with its dependencies, and the kernel's display types.
    /// </summary>
    public static ImmutableArray<MetadataReference> ForExecution { get; } = [.. RuntimeFramework(), .. Libraries()];

    /// <summary>
    /// What completion and inspection compile against: the SDK's reference assemblies where
    /// installed, because they carry the XML docs that quick info shows.
    /// </summary>
    public static ImmutableArray<MetadataReference> ForEditing { get; } =
        ReferencePack() is { } pack
            ? [.. Directory.EnumerateFiles(pack, "*.dll").Where(IsFramework).Select(FromFile), .. Libraries()]
            : ForExecution;

    static IEnumerable<MetadataReference> Libraries()
    {
        var libraries = new List<Assembly>
        {
            typeof(StyleLab.Runtime.TorchRuntime).Assembly, typeof(torch).Assembly,
            typeof(SkiaSharp.SKBitmap).Assembly, typeof(Formatter).Assembly, typeof(HtmlString).Assembly,
            typeof(KernelGlobals).Assembly,
        };
        // StyleLab.Interactive (formatters, charts) joins by default once it is deployed next to the kernel.
        if (TryLoad("StyleLab.Interactive") is { } interactive) libraries.Add(interactive);

        return libraries.Where(a => !string.IsNullOrEmpty(a.Location)).Select(a => FromFile(a.Location));
    }

    static string RuntimeDirectory => Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    static IEnumerable<MetadataReference> RuntimeFramework() =>
        ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetDirectoryName(p) == RuntimeDirectory && IsFramework(p))
            .Select(FromFile);

    static bool IsFramework(string path) => FrameworkAssemblies.Contains(Path.GetFileNameWithoutExtension(path));

    static string? ReferencePack()
    {
        string runtimeDir = RuntimeDirectory;
        // <dotnet>/shared/Microsoft.NETCore.App/<version>  →  <dotnet>/packs/Microsoft.NETCore.App.Ref/<version>/ref/net<major>.0
        var root = Directory.GetParent(runtimeDir)?.Parent?.Parent;
        if (root is null) return null;
        var packs = new DirectoryInfo(Path.Combine(root.FullName, "packs", "Microsoft.NETCore.App.Ref"));
        if (!packs.Exists) return null;
        int major = Environment.Version.Major;
        string tfm = $"net{major}.0";
        return packs.GetDirectories()
            .Select(d => (Version: Version.TryParse(d.Name.Split('-')[0], out var v) ? v : null, Dir: Path.Combine(d.FullName, "ref", tfm)))
            .Where(x => x.Version?.Major == major && Directory.Exists(x.Dir))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    static MetadataReference FromFile(string path)
    {
        string xml = Path.ChangeExtension(path, ".xml");
        return MetadataReference.CreateFromFile(path,
            documentation: File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null);
    }

    static Assembly? TryLoad(string name)
    {
        try { return Assembly.Load(name); }
        catch (FileNotFoundException) { return null; }
    }
}
