using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StyleLab.Kernel;

/// <summary>
/// The <c>using</c>s and type names earlier cells brought into scope, written as a few lines that
/// go in front of the next cell: each cell compiles on its own, not as a link in a chain.
/// </summary>
/// <remarks>
/// A type declared in a cell is nested in that cell's class (<c>__Cell3.Swatch</c>); an alias per
/// name (<c>using Swatch = global::__Cell3.Swatch;</c>) makes the latest definition win, as it does in
/// a script chain. Generic types cannot be aliased open, so their cells are imported statically.
/// </remarks>
internal sealed class CellImports
{
    readonly List<string> _usings = [];                      // "using System.Text;" and "using static X;", in order
    readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal); // name → whole directive
    readonly List<string> _staticCells = [];

    /// <summary>A copy that later cells do not change (completion reads it while the next cell runs).</summary>
    public CellImports Snapshot()
    {
        var copy = new CellImports();
        copy._usings.AddRange(_usings);
        foreach (var (name, directive) in _aliases) copy._aliases[name] = directive;
        copy._staticCells.AddRange(_staticCells);
        return copy;
    }

    /// <summary>Remembers the directives and types of a cell that ran (a cell's class emits its types public).</summary>
    public void Add(SyntaxTree cell, INamedTypeSymbol cellClass)
    {
        foreach (var directive in ((CompilationUnitSyntax)cell.GetRoot()).Usings)
        {
            string text = directive.WithoutTrivia().ToFullString();
            if (directive.Alias is { } alias) _aliases[alias.Name.Identifier.ValueText] = text;
            else if (!_usings.Contains(text)) _usings.Add(text);
        }
        string cellName = $"global::{cellClass.MetadataName}";
        foreach (var type in cellClass.GetTypeMembers().Where(t => t.CanBeReferencedByName))
        {
            if (type.Arity == 0) _aliases[type.Name] = $"using {type.Name} = {cellName}.{type.Name};";
            else if (!_staticCells.Contains(cellName)) _staticCells.Add(cellName);
        }
    }

    /// <summary>
    /// <paramref name="code"/> with the directives in front, after its own <c>#r</c>/<c>#load</c> lines
    /// (which must come first); a <c>#line</c> keeps error and stack-trace lines the cell's own.
    /// </summary>
    public (string Text, int Offset, int Length) Prepend(string code, SyntaxTree parsed)
    {
        var root = (CompilationUnitSyntax)parsed.GetRoot();
        var ownAliases = root.Usings.Where(u => u.Alias is not null).Select(u => u.Alias!.Name.Identifier.ValueText).ToHashSet();
        int offset = root.GetLeadingTrivia()
            .Where(t => t.IsKind(SyntaxKind.ReferenceDirectiveTrivia) || t.IsKind(SyntaxKind.LoadDirectiveTrivia)
                        || t.IsKind(SyntaxKind.ShebangDirectiveTrivia))
            .Select(t => t.FullSpan.End).DefaultIfEmpty(0).Max();

        var prelude = new StringBuilder();
        if (offset > 0 && code[offset - 1] != '\n') prelude.Append('\n');
        foreach (string u in _usings) prelude.Append(u).Append('\n');
        foreach (string cell in _staticCells) prelude.Append("using static ").Append(cell).Append(";\n");
        foreach (var (name, directive) in _aliases)
            if (!ownAliases.Contains(name)) prelude.Append(directive).Append('\n');
        if (prelude.Length == 0) return (code, 0, 0);
        int line = parsed.GetText().Lines.GetLineFromPosition(offset).LineNumber + 1;
        if (offset > 0 && code[offset - 1] != '\n') line++;
        prelude.Append("#line ").Append(line).Append('\n');
        return (code[..offset] + prelude + code[offset..], offset, prelude.Length);
    }
}
