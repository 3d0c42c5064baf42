using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Html;
using Microsoft.CodeAnalysis;
using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;

namespace StyleLab.Kernel;

/// <summary>What every cell compiles against and imports, shared by execution, completion and inspection.</summary>
internal static class ScriptReferences
{
    /// <summary>Namespaces every cell has, in the plain kernel and the StyleLab one.</summary>
    static readonly ImmutableArray<string> PlainImports =
    [
        "System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading",
        "System.Threading.Tasks", "Microsoft.DotNet.Interactive.Formatting",
    ];

    /// <summary>
    /// The StyleLab kernel's: also TorchSharp's and StyleLab's. <c>static TorchSharp.torch</c> is left out:
    /// it would put <c>max</c>, <c>abs</c>, <c>nn</c>… into scope and shadow names users expect.
    /// </summary>
    static readonly Lazy<ImmutableArray<string>> StyleLabImports = new(() => [.. PlainImports, "TorchSharp", .. StyleLabNamespaces()]);

    /// <summary>
    /// What every cell imports: with <paramref name="styleLab"/> (the StyleLab kernel) TorchSharp's and
    /// StyleLab's namespaces too; the plain kernel never loads StyleLab's assemblies.
    /// </summary>
    public static ImmutableArray<string> Imports(bool styleLab) => styleLab ? StyleLabImports.Value : PlainImports;

    /// <summary>
    /// Every public namespace of StyleLab and StyleLab.Interactive, so that a notebook needs no
    /// <c>using</c> beyond <c>using StyleLab;</c>; a method that lands later is in scope with no change here.
    /// </summary>
    static IEnumerable<string> StyleLabNamespaces() =>
        StyleLabAssemblies()
            .SelectMany(a => a.GetExportedTypes())
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(n => n.StartsWith("StyleLab.", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// The framework assemblies cells see. Not all ~170: every cell's compilation binds its references
    /// anew, so a short list keeps cells quick (and Roslyn's old script chain grew with references × cells).
    /// Others are one <c>#r "System.Xml.ReaderWriter"</c> away.
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

    static readonly string? Pack = ReferencePack();

    /// <remarks>
    /// The runtime's own assemblies. (Until 0.9 the code read as if the SDK's reference pack were preferred,
    /// but a static initializer ran before <see cref="Pack"/> was set, so the runtime's were used; compiling
    /// against the reference pack fails — <c>string</c> does not convert to <c>object</c> — so that stays.)
    /// </remarks>
    static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(() => [.. RuntimeFramework()]);

    /// <summary>
    /// What cells are compiled against, to run and for completion and inspection alike: the runtime's
    /// framework assemblies, the kernel's display types, and with <paramref name="styleLab"/> StyleLab
    /// with its dependencies.
    /// </summary>
    public static ImmutableArray<MetadataReference> ForCells(bool styleLab) =>
        [.. Framework.Value, .. FromAssemblies(KernelAssemblies()), .. styleLab ? FromAssemblies(StyleLabAssemblies()) : []];

    /// <summary>
    /// <c>#r "System.Xml.ReaderWriter"</c> by name resolves to the reference assembly when cells
    /// compile against the reference pack (the runtime's copy would forward to types no cell references).
    /// </summary>
    public sealed class Resolver(MetadataReferenceResolver inner) : MetadataReferenceResolver
    {
        MetadataReferenceResolver Inner { get; } = inner;

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
        {
            if (Pack is not null && !reference.Contains('/') && !reference.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                && Path.Combine(Pack, reference + ".dll") is var path && File.Exists(path))
                return [(PortableExecutableReference)FromFile(path)];
            return inner.ResolveReference(reference, baseFilePath, properties);
        }

        public override bool ResolveMissingAssemblies => inner.ResolveMissingAssemblies;

        // Roslyn asks again in every compilation, and the scripting resolver answers with a new reference each time,
        // whose metadata is a fresh native copy freed only by a full collection: ~80 MB per cell in the soak.
        readonly ConcurrentDictionary<AssemblyIdentity, PortableExecutableReference?> _missing = new();

        public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
            _missing.GetOrAdd(referenceIdentity, identity => inner.ResolveMissingAssembly(definition, identity));

        public override bool Equals(object? other) => other is Resolver r && r.Inner.Equals(Inner);

        public override int GetHashCode() => inner.GetHashCode();
    }

    static Assembly[] KernelAssemblies() => [typeof(Formatter).Assembly, typeof(HtmlString).Assembly, typeof(KernelGlobals).Assembly];

    /// <summary>Never inlined: inlining would load StyleLab and TorchSharp in the plain kernel too (see <c>Kernel.PreloadStyleLab</c>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static Assembly[] StyleLabAssemblies() =>
    [
        typeof(StyleLab.Runtime.TorchRuntime).Assembly, typeof(torch).Assembly, typeof(SkiaSharp.SKBitmap).Assembly,
        typeof(StyleLab.Interactive.StyleLabFormatters).Assembly,
    ];

    static IEnumerable<MetadataReference> FromAssemblies(IEnumerable<Assembly> assemblies) =>
        assemblies.Where(a => !string.IsNullOrEmpty(a.Location)).Select(a => FromFile(a.Location));

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

    /// <summary>A reference to the assembly at <paramref name="path"/>, with its XML docs when they lie beside it.</summary>
    public static MetadataReference FromFile(string path)
    {
        string xml = Path.ChangeExtension(path, ".xml");
        return MetadataReference.CreateFromFile(path,
            documentation: File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null);
    }
}
