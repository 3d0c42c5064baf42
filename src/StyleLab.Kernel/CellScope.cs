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
        string baseName = previous.FullName!.Replace('+', '.');
        // A member the forwarder gets wrong (an exotic signature) is left out rather than losing the cell.
        for (int attempt = 0; ; attempt++)
        {
            var source = new StringBuilder();
            source.Append($"public class {name} : global::{baseName}\n{{\n");
            source.Append($"    public {name}(global::StyleLab.Kernel.KernelGlobals globals) : base(globals) {{ }}\n");
            foreach (string member in members) source.Append("    ").Append(member).Append('\n');
            source.Append("}\n");
            var tree = CSharpSyntaxTree.ParseText(source.ToString());
            var compilation = CSharpCompilation.Create($"stylelab-scope{n}-{Guid.NewGuid():N}", [tree], references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, warningLevel: 0));
            using var pe = new MemoryStream();
            var result = compilation.Emit(pe);
            if (result.Success)
            {
                byte[] image = pe.ToArray();
                var assembly = AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(image));
                return (assembly.GetType(name)!, image);
            }
            var bad = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => d.Location.GetLineSpan().StartLinePosition.Line - 3).Where(i => i >= 0 && i < members.Count)
                .ToHashSet();
            if (bad.Count == 0 || attempt > 2)
                throw new InvalidOperationException("the kernel could not carry this cell's definitions to the next cell: " +
                                                    string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            foreach (int i in bad) Log.Warn($"{cellClass.MetadataName}: not visible to later cells: {members[i]}");
            members = members.Where((_, i) => !bad.Contains(i)).ToList();
        }
    }

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
