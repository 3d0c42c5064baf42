using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;

namespace StyleLab.Kernel;

/// <summary>What the next cell is compiled in: the imports in front of it, its globals type, its references.</summary>
internal sealed record SessionContext(CellImports Imports, Type Scope, ImmutableArray<MetadataReference> References);

/// <summary>
/// The notebook as the editor services (completion, quick info) see it: the cell being edited as
/// the next cell, in the same context the executor would compile it in, so every variable, type
/// and <c>#r</c> reference defined so far is known.
/// </summary>
/// <remarks>
/// A draft is a new one-project solution that nobody keeps, so concurrent requests never see each
/// other's drafts and nothing grows with the number of cells.
/// </remarks>
internal sealed class SubmissionWorkspace
{
    readonly AdhocWorkspace _workspace = new(MefHostServices.DefaultHost);
    readonly CSharpCompilationOptions _compilationOptions;
    readonly CSharpParseOptions _parseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);
    SessionContext? _context;

    public SubmissionWorkspace(IEnumerable<string> imports, MetadataReferenceResolver metadataResolver, SourceReferenceResolver sourceResolver)
    {
        _compilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            usings: imports,
            allowUnsafe: true,
            metadataReferenceResolver: metadataResolver,
            sourceReferenceResolver: sourceResolver);
    }

    /// <summary>Sets the context drafts are made in (after each cell that ran).</summary>
    public void Update(SessionContext context) => Volatile.Write(ref _context, context);

    /// <summary>
    /// A document for <paramref name="code"/> as if it were the next cell, and how to move a position
    /// in <paramref name="code"/> to the document and back (the imports go in front of the cell).
    /// </summary>
    public Draft Draft(string code)
    {
        var context = Volatile.Read(ref _context)!;
        var own = CSharpSyntaxTree.ParseText(code, _parseOptions);
        var (text, offset, length) = context.Imports.Prepend(code, own);
        var projectId = ProjectId.CreateNewId("draft");
        var document = DocumentInfo.Create(
            DocumentId.CreateNewId(projectId), "In[ ]",
            sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text), VersionStamp.Create())));
        var project = ProjectInfo.Create(
            projectId, VersionStamp.Create(), "draft", "Draft", LanguageNames.CSharp,
            isSubmission: true,
            compilationOptions: _compilationOptions.WithScriptClassName("__Draft"),
            parseOptions: _parseOptions,
            documents: [document],
            metadataReferences: context.References,
            hostObjectType: context.Scope);
        var solution = _workspace.CurrentSolution.AddProject(project);
        return new Draft(solution.GetProject(projectId)!.Documents.Single(), offset, length);
    }
}

/// <summary>A draft document; positions at or after <see cref="Offset"/> in the cell are <see cref="Shift"/> further on in it.</summary>
internal sealed record Draft(Document Document, int Offset, int Shift)
{
    public int ToDocument(int position) => position >= Offset ? position + Shift : position;

    public int ToCell(int position) => position >= Offset + Shift ? position - Shift : Math.Min(position, Offset);
}
