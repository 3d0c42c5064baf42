using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace StyleLab.Kernel;

/// <summary>The outcome of one cell: its value (if it ended in an expression) or its error.</summary>
public sealed record CellResult(object? Value, CellError? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// The C# session behind a notebook: each cell continues the Roslyn script state of the last
/// cell that succeeded, so a failing cell leaves everything defined before it intact.
/// </summary>
internal sealed class ScriptSession
{
    readonly KernelGlobals _globals;
    readonly ScriptOptions _options;
    readonly DefaultContextLoader _loader = new();
    readonly string _workingDirectory;
    ScriptState<object>? _state;
    Task _warmUp = Task.CompletedTask;

    public ScriptSession(KernelGlobals globals, string workingDirectory)
    {
        _globals = globals;
        _workingDirectory = workingDirectory;
        _options = ScriptOptions.Default
            .WithReferences(ScriptReferences.ForExecution)
            .WithImports(ScriptReferences.Imports)
            .WithMetadataResolver(MetadataResolver)
            .WithSourceResolver(SourceResolver)
            .WithAllowUnsafe(true)
            // A PDB per cell gives exceptions line numbers; Roslyn needs the encoding to emit one.
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);
        Workspace = new SubmissionWorkspace(MetadataResolver, SourceResolver);
    }

    /// <summary>Resolves <c>#r "x.dll"</c> relative to the notebook's folder.</summary>
    public MetadataReferenceResolver MetadataResolver =>
        ScriptMetadataResolver.Default.WithBaseDirectory(_workingDirectory).WithSearchPaths(_workingDirectory);

    /// <summary>Resolves <c>#load "x.csx"</c> relative to the notebook's folder.</summary>
    public SourceReferenceResolver SourceResolver =>
        new SourceFileResolver(ImmutableArray<string>.Empty, _workingDirectory);

    /// <summary>The successful cells so far, as completion and inspection see them.</summary>
    public SubmissionWorkspace Workspace { get; }

    /// <summary>
    /// Starts paying the one-time costs (loading the compiler and reference metadata, the stack-trace
    /// symbol reader) while the client connects, so the first cell and the first interrupt are quick.
    /// </summary>
    /// <remarks>
    /// The first cell waits for it: a compile that runs alongside it sometimes gave the first cell's
    /// StyleLab types an assembly identity of their own, and the next cell then failed with "cannot
    /// convert from 'StyleLab.Data.SampleKind [path]' to 'StyleLab.Data.SampleKind [StyleLab, Version=…]'".
    /// </remarks>
    public void StartWarmUp() => _warmUp = Task.Factory.StartNew(() =>
    {
        try
        {
            CSharpScript.Create("1", _options, typeof(KernelGlobals)).Compile();
            throw new InvalidOperationException("warm-up");
        }
        catch (InvalidOperationException e) { _ = CellError.FromException(e); }
    }, TaskCreationOptions.LongRunning);

    /// <summary>Compiles and runs one cell; <paramref name="cellName"/> names it in errors ("In[3]").</summary>
    public CellResult Run(string code, string cellName, CancellationToken cancellationToken)
    {
        // A rooted file name keeps #load relative to the notebook folder and names the cell in stack traces.
        var options = _options.WithFilePath(Path.Combine(_workingDirectory, cellName));
        var script = _state is null
            ? CSharpScript.Create(code, options, typeof(KernelGlobals), _loader.ScriptLoader)
            : _state.Script.ContinueWith(code, options);

        ScriptState<object> next;
        try
        {
            // An interrupt during the warm-up or a long (first) compile cancels it; that is reported like any interrupt.
            _warmUp.Wait(cancellationToken);
            var diagnostics = script.Compile(cancellationToken);
            if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
                return new CellResult(null, CellError.FromDiagnostics(diagnostics));
            _loader.LoadDirectiveReferences(script.GetCompilation());
            var run = _state is null
                ? script.RunAsync(_globals, _ => true, cancellationToken)
                : script.RunFromAsync(_state, _ => true, cancellationToken);
            next = run.GetAwaiter().GetResult();
        }
        catch (Exception e) // cancelled while compiling, or a #r assembly that does not load
        {
            return new CellResult(null, CellError.FromException(e));
        }
        if (next.Exception is { } exception)
            return new CellResult(null, CellError.FromException(exception));

        _state = next;
        Workspace.Add(code);
        return new CellResult(next.ReturnValue, null);
    }
}
