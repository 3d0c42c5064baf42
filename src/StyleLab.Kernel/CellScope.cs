using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace StyleLab.Kernel;

/// <summary>
/// What a cell sees of the cells before it: the globals type it is compiled against. Cell n's
/// variables, properties and methods become members of <c>__Scope{n}</c>, a class derived from the
/// previous scope (so a redefinition hides the old one) that forwards each member to the object of
/// the cell that declared it.
/// </summary>
/// <remarks>
/// This replaces Roslyn's submission chain (<c>ContinueWith</c>), whose every link keeps the whole
/// compilation before it alive: the kernel grew by ~2.5 MB per cell by cell 1000. Here a cell's
/// compilation is dropped once it ran; what stays is its assembly and this small forwarding class.
/// A variable whose type cannot be named in C# (an anonymous type) is forwarded as <c>dynamic</c>.
/// </remarks>
internal static class CellScope
{
    static readonly SymbolDisplayFormat Format = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Included,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeTypeConstraints,
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName |
                          SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeParamsRefOut,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <summary>
    /// Emits <c>__Scope{n}</c> for <paramref name="cellClass"/> (cell <paramref name="n"/> in
    /// <see cref="Submissions"/>), derived from <paramref name="previous"/>; <paramref name="references"/>
    /// include the cell's own assembly. Returns the scope's type and image, or null when the cell
    /// defined nothing later cells could use (a cell that only shows something needs no scope).
    /// </summary>
    public static (Type Type, byte[] Image)? Build(INamedTypeSymbol cellClass, int n, Type previous, IReadOnlyList<MetadataReference> references)
    {
        string self = $"((global::{cellClass.MetadataName})global::StyleLab.Kernel.Submissions.Get({n}))";
        var members = cellClass.GetMembers()
            .Where(m => m.CanBeReferencedByName && !m.IsImplicitlyDeclared)
            .Select(m => Forwarder(m, m.IsStatic ? $"global::{cellClass.MetadataName}" : self))
            .OfType<string>()
            .ToList();
        if (members.Count == 0) return null;

        string name = $"__Scope{n}";
        string header = $"public class {name} : global::{previous.FullName!.Replace('+', '.')}\n{{\n" +
                        $"    public {name}(global::StyleLab.Kernel.KernelGlobals globals) : base(globals) {{ }}\n";
        int firstMemberLine = header.Count(c => c == '\n');
        // A member the forwarder gets wrong (an exotic signature) is left out rather than losing the cell.
        for (int attempt = 0; ; attempt++)
        {
            var (image, errors) = Emit($"stylelab-scope{n}-{Guid.NewGuid():N}", header, members, references);
            if (image is not null) return (Load(image, name), image);
            var bad = errors.Select(d => d.Location.GetLineSpan().StartLinePosition.Line - firstMemberLine).Where(i => i >= 0 && i < members.Count)
                .ToHashSet();
            if (bad.Count == 0 || attempt > 2)
                throw new InvalidOperationException("the kernel could not carry this cell's definitions to the next cell: " +
                                                    string.Join("; ", errors));
            foreach (int i in bad) Log.Warn($"{cellClass.MetadataName}: not visible to later cells: {members[i]}");
            members = members.Where((_, i) => !bad.Contains(i)).ToList();
        }
    }

    /// <summary>
    /// Emits <c>__Flat{n}_{i}</c>: the members of the scopes from <paramref name="root"/> (exclusive) to
    /// <paramref name="head"/> that cells still see, as classes derived from <paramref name="root"/> that
    /// forward each member to the scope that declared it. Usually one class; a method name declared again
    /// with another signature starts a second, so that overload resolution prefers the later one as it did
    /// in the chain. Returns null if that fails (the chain then stays as it is).
    /// </summary>
    /// <remarks>
    /// Each scope derives from the one before, so without this the n-th cell would be compiled against
    /// n scope assemblies and its every name looked up through n base classes: cells got slower with
    /// every cell before them. Flattening keeps the chain short, and the scopes' and cells'
    /// assemblies leave the compiler's references.
    /// </remarks>
    public static IReadOnlyList<(Type Type, byte[] Image)>? Flatten(Type head, Type root, int n, IReadOnlyList<MetadataReference> references)
    {
        var probe = CSharpCompilation.Create("stylelab-flatten", [], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        var headSymbol = probe.GetTypeByMetadataName(head.FullName!);
        var rootSymbol = probe.GetTypeByMetadataName(root.FullName!);
        if (headSymbol is null || rootSymbol is null) return null;
        var chain = new List<INamedTypeSymbol>(); // oldest first
        for (var t = headSymbol; t is not null && !SymbolEqualityComparer.Default.Equals(t, rootSymbol); t = t.BaseType) chain.Insert(0, t);

        // What a cell sees is what C# lookup on the head finds: hidden members are left out, overloads kept.
        var tree = CSharpSyntaxTree.ParseText($"class __Probe : global::{head.FullName} {{ }}");
        var visible = probe.AddSyntaxTrees(tree).GetSemanticModel(tree).LookupSymbols(tree.Length - 1, headSymbol)
            .ToLookup(m => m.ContainingType, SymbolEqualityComparer.Default);

        var layers = new List<List<string>> { new() };
        var methods = new Dictionary<string, INamedTypeSymbol>(); // method name → the scope that declared it, in this layer
        foreach (var scope in chain)
        {
            var members = visible[scope].ToList();
            if (members.OfType<IMethodSymbol>().Any(m => methods.TryGetValue(m.Name, out var by) && !SymbolEqualityComparer.Default.Equals(by, scope)))
            {
                layers.Add([]);
                methods.Clear();
            }
            foreach (var member in members)
            {
                if (FlatForwarder(member) is not { } forwarder) return null;
                layers[^1].Add(forwarder);
                if (member is IMethodSymbol) methods[member.Name] = scope;
            }
        }

        var result = new List<(Type, byte[])>();
        string baseName = root.FullName!.Replace('+', '.');
        var all = references.ToList();
        foreach (var (members, i) in layers.Select((m, i) => (m, i)))
        {
            string name = $"__Flat{n}_{i}";
            string header = $"public class {name} : global::{baseName}\n{{\n" +
                            $"    public {name}(global::StyleLab.Kernel.KernelGlobals globals) : base(globals) => {Inner} ??= new global::{head.FullName}(globals);\n" +
                            $"    static global::{head.FullName} {Inner};\n";
            var (image, errors) = Emit($"stylelab-flat{n}-{i}-{Guid.NewGuid():N}", header, members, all);
            if (image is null)
            {
                Log.Warn($"{name}: scopes not flattened: {string.Join("; ", errors)}");
                return null;
            }
            result.Add((Load(image, name), image));
            all.Add(MetadataReference.CreateFromImage(image));
            baseName = name;
        }
        return result;
    }

    /// <summary>The instance of the chain's head that a flat class forwards to (a name no cell would choose).</summary>
    const string Inner = "__stylelab_chain";

    static string? FlatForwarder(ISymbol member)
    {
        string declaring = $"global::{member.ContainingType.Name}";
        // Through the declaring scope: on the head, an overload declared later could win the call.
        string owner = $"(({declaring}){Inner})";
        return member switch
        {
            IFieldSymbol { IsConst: true } => Forwarder(member, declaring),
            IPropertySymbol { RefKind: RefKind.Ref or RefKind.RefReadOnly } p when Nameable(p.Type) =>
                $"public new ref {(p.RefKind == RefKind.RefReadOnly ? "readonly " : "")}{Type(p.Type)} {Name(p)} => ref {owner}.{Name(p)};",
            _ => Forwarder(member, owner),
        };
    }

    /// <summary>Compiles a class from its first lines and its members; the image, or the errors.</summary>
    static (byte[]? Image, IReadOnlyList<Diagnostic> Errors) Emit(string assemblyName, string header, IReadOnlyList<string> members,
        IReadOnlyList<MetadataReference> references)
    {
        var source = new StringBuilder(header);
        foreach (string member in members) source.Append("    ").Append(member).Append('\n');
        source.Append("}\n");
        var compilation = CSharpCompilation.Create(assemblyName, [CSharpSyntaxTree.ParseText(source.ToString())], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, warningLevel: 0));
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        return result.Success
            ? (pe.ToArray(), [])
            : (null, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList());
    }

    static Type Load(byte[] image, string name) =>
        AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(image)).GetType(name)!;

    static string? Forwarder(ISymbol member, string owner) => member switch
    {
        IFieldSymbol { IsConst: true } f when Nameable(f.Type) =>
            $"public new const {Type(f.Type)} {Name(f)} = {owner}.{Name(f)};",
        IFieldSymbol f when Nameable(f.Type) =>
            $"public new ref {(f.IsReadOnly ? "readonly " : "")}{Type(f.Type)} {Name(f)} => ref {owner}.{Name(f)};",
        IFieldSymbol f => $"public new dynamic {Name(f)} => {owner}.{Name(f)};",
        IPropertySymbol { IsIndexer: false, RefKind: RefKind.None } p when Nameable(p.Type) =>
            $"public new {Type(p.Type)} {Name(p)} {{ {(p.GetMethod is not null ? $"get => {owner}.{Name(p)}; " : "")}" +
            $"{(p.SetMethod is { IsInitOnly: false } ? $"set => {owner}.{Name(p)} = value; " : "")}}}",
        IMethodSymbol { MethodKind: MethodKind.Ordinary, RefKind: RefKind.None } m
            when Nameable(m.ReturnType) && m.Parameters.All(p => Nameable(p.Type)) => MethodForwarder(m, owner),
        _ => null,
    };

    static string MethodForwarder(IMethodSymbol method, string owner)
    {
        string typeArguments = method.IsGenericMethod ? $"<{string.Join(", ", method.TypeParameters.Select(t => t.Name))}>" : "";
        string arguments = string.Join(", ", method.Parameters.Select(p => p.RefKind switch
        {
            RefKind.Ref => "ref ", RefKind.Out => "out ", RefKind.In or RefKind.RefReadOnlyParameter => "in ", _ => "",
        } + "@" + p.Name));
        return $"public new {method.ToDisplayString(Format)} => {owner}.{Name(method)}{typeArguments}({arguments});";
    }

    static string Name(ISymbol symbol) => "@" + symbol.Name;

    static string Type(ITypeSymbol type) => type.ToDisplayString(Format);

    /// <summary>Whether C# source in another assembly can spell <paramref name="type"/>.</summary>
    static bool Nameable(ITypeSymbol type) => type switch
    {
        { IsAnonymousType: true } => false,
        IArrayTypeSymbol array => Nameable(array.ElementType),
        IPointerTypeSymbol pointer => Nameable(pointer.PointedAtType),
        ITypeParameterSymbol => true,
        INamedTypeSymbol named => Accessible(named) && named.TypeArguments.All(Nameable),
        IDynamicTypeSymbol => true,
        _ => false,
    };

    /// <remarks>A cell's class emits every member public, whatever the source said.</remarks>
    static bool Accessible(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? t = type; t is not null && !t.IsScriptClass; t = t.ContainingType)
            if (t.DeclaredAccessibility != Accessibility.Public && !(t.ContainingType?.IsScriptClass ?? false)) return false;
        return type.CanBeReferencedByName || type.IsTupleType;
    }
}
