using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;

namespace StyleLab.Kernel;

/// <summary>
/// The notebook's successful cells as a Roslyn workspace — one submission project per cell,
/// each referencing the one before, like the script chain — so the editor services
/// (completion, quick info) see every variable, type and <c>#r</c> reference defined so far.
/// </summary>
/// <remarks>
/// Solutions are immutable: a draft of the cell being edited is a new solution with one more
/// project that nobody keeps, so concurrent requests never see each other's drafts.
/// </remarks>
internal sealed class SubmissionWorkspace
{
    readonly AdhocWorkspace _workspace = new(MefHostServices.DefaultHost);
    readonly CSharpCompilationOptions _compilationOptions;
    readonly CSharpParseOptions _parseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);
    readonly object _gate = new();
    Solution _solution;
    ProjectId? _last;
    int _count;

    public SubmissionWorkspace(MetadataReferenceResolver metadataResolver, SourceReferenceResolver sourceResolver)
    {
        _compilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            usings: ScriptReferences.Imports,
            allowUnsafe: true,
            metadataReferenceResolver: metadataResolver,
            sourceReferenceResolver: sourceResolver);
        _solution = _workspace.CurrentSolution;
    }

    /// <summary>Appends a cell that ran successfully.</summary>
    public void Add(string code)
    {
        lock (_gate) (_solution, _last) = WithSubmission(_solution, _last, code, ++_count);
    }

    /// <summary>A document for <paramref name="code"/> as if it were the next cell.</summary>
    public Document Draft(string code)
    {
        Solution solution;
        ProjectId? last;
        int count;
        lock (_gate) (solution, last, count) = (_solution, _last, _count);
        var (draft, id) = WithSubmission(solution, last, code, count + 1);
        return draft.GetProject(id)!.Documents.Single();
    }

    (Solution, ProjectId) WithSubmission(Solution solution, ProjectId? previous, string code, int number)
    {
        var projectId = ProjectId.CreateNewId($"In[{number}]");
        var document = DocumentInfo.Create(
            DocumentId.CreateNewId(projectId), $"In[{number}]",
            sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(code), VersionStamp.Create())));
        var project = ProjectInfo.Create(
            projectId, VersionStamp.Create(), $"In[{number}]", $"Submission{number}", LanguageNames.CSharp,
            isSubmission: true,
            compilationOptions: _compilationOptions,
            parseOptions: _parseOptions,
            documents: [document],
            projectReferences: previous is null ? [] : [new ProjectReference(previous)],
            metadataReferences: ScriptReferences.ForEditing,
            hostObjectType: typeof(KernelGlobals));
        return (solution.AddProject(project), projectId);
    }
}
