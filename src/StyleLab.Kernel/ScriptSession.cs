using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;

namespace StyleLab.Kernel;

/// <summary>The outcome of one cell: its value (if it ended in an expression) or its error.</summary>
public sealed record CellResult(object? Value, CellError? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// The C# session behind a notebook. Each cell is a C# script compiled on its own, against the
/// assemblies of the cells before it: their definitions reach it through its globals type
/// (<see cref="CellScope"/>) and their <c>using</c>s and types through a few lines in front of it
/// (<see cref="CellImports"/>). A failing cell leaves everything defined before it intact.
/// </summary>
/// <remarks>
/// Roslyn's own submission chain (<c>Script.ContinueWith</c>) keeps every earlier compilation alive
/// and compiles each cell against all of them, so memory grew quadratically with the number of cells
/// (1000 cells: +1.6 GB RSS). A compilation here is garbage once its cell ran.
/// </remarks>
internal sealed class ScriptSession
{
    static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    readonly KernelGlobals _globals;
    readonly DefaultContextLoader _loader = new();
    readonly string _workingDirectory;
    readonly CellImports _imports = new();
    readonly CSharpCompilationOptions _options;
    readonly object _gate = new();
    readonly PackageReferences _packages;
    readonly int _flattenEvery = FlattenEvery();
    ImmutableArray<MetadataReference> _fixed;        // framework, kernel, StyleLab, #r and packages, cells that declare types
    ImmutableArray<MetadataReference> _scopes = [];  // the flat classes and the scopes since the last of them
    Type _scope = typeof(KernelGlobals);             // the newest scope: what the next cell's globals are
    Type _root = typeof(KernelGlobals);              // the newest flat class (or the globals), where the chain starts
    int _chain;                                      // scopes since _root
    int _flattenAt;                                  // the _chain that next flattens
    int _compiled;
    Task _warmUp = Task.CompletedTask;

    /// <param name="globals">What every cell sees unqualified.</param>
    /// <param name="workingDirectory">The notebook's folder: relative <c>#r</c>, <c>#load</c> and <c>#i</c> paths start there.</param>
    /// <param name="styleLab">Whether cells have StyleLab and TorchSharp referenced and imported (the StyleLab
    /// kernel), or start with the framework only (the plain C# kernel; <c>#r "nuget: StyleLab"</c> brings it).</param>
    public ScriptSession(KernelGlobals globals, string workingDirectory, bool styleLab = true)
    {
        _globals = globals;
        _workingDirectory = workingDirectory;
        _fixed = ScriptReferences.ForCells(styleLab);
        _flattenAt = _flattenEvery;
        _packages = new PackageReferences(_loader, workingDirectory);
        _options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            usings: ScriptReferences.Imports(styleLab),
            allowUnsafe: true,
            optimizationLevel: OptimizationLevel.Debug,
            metadataReferenceResolver: MetadataResolver,
            sourceReferenceResolver: SourceResolver);
        Workspace = new SubmissionWorkspace(ScriptReferences.Imports(styleLab), MetadataResolver, SourceResolver);
        Workspace.Update(Context);
    }

    /// <summary>Resolves <c>#r "x.dll"</c> relative to the notebook's folder, and framework names to reference assemblies.</summary>
    public MetadataReferenceResolver MetadataResolver => _metadataResolver ??= new ScriptReferences.Resolver(
        ScriptMetadataResolver.Default.WithBaseDirectory(_workingDirectory).WithSearchPaths(_workingDirectory));

    MetadataReferenceResolver? _metadataResolver;

    /// <summary>Resolves <c>#load "x.csx"</c> relative to the notebook's folder.</summary>
    public SourceReferenceResolver SourceResolver =>
        new SourceFileResolver(ImmutableArray<string>.Empty, _workingDirectory);

    /// <summary>The successful cells so far, as completion and inspection see them.</summary>
    public SubmissionWorkspace Workspace { get; }

    /// <summary>What the next cell compiles against.</summary>
    ImmutableArray<MetadataReference> References => _fixed.AddRange(_scopes);

    /// <summary>What the next cell is compiled in.</summary>
    SessionContext Context => new(_imports.Snapshot(), _scope, References);

    /// <summary>
    /// Starts paying the one-time costs (loading the compiler and reference metadata, the stack-trace
    /// symbol reader) while the client connects, so the first cell and the first interrupt are quick.
    /// </summary>
    /// <remarks>The first cell waits for it, so the two never compile at the same time.</remarks>
    public void StartWarmUp() => _warmUp = Task.Factory.StartNew(() =>
    {
        try
        {
            var tree = CSharpSyntaxTree.ParseText("1", ParseOptions);
            CSharpCompilation.CreateScriptCompilation("stylelab-warmup", tree, References,
                _options.WithScriptClassName("__Warmup"), returnType: typeof(object), globalsType: _scope).Emit(Stream.Null);
            throw new InvalidOperationException("warm-up");
        }
        catch (InvalidOperationException e) { _ = CellError.FromException(e); }
    }, TaskCreationOptions.LongRunning);

    /// <summary>
    /// Compiles and runs one cell; <paramref name="cellName"/> names it in errors ("In[3]"). A cell
    /// that returns after it was <paramref name="abandoned"/> leaves nothing behind for the next cells.
    /// </summary>
    public CellResult Run(string code, string cellName, CancellationToken cancellationToken, Task abandoned)
    {
        try
        {
            // An interrupt during the warm-up or a long (first) compile cancels it; that is reported like any interrupt.
            _warmUp.Wait(cancellationToken);
            int number = Interlocked.Increment(ref _compiled);
            // #r "nuget: …" and #i "nuget: …" are not C#: restored and loaded here, then blanked out of the cell.
            var directives = PackageDirectives.Parse(code);
            if (!directives.IsEmpty)
            {
                code = directives.Code;
                AddReferences(_packages.Add(directives, ConsoleProgress.Instance, cancellationToken));
            }
            var own = CSharpSyntaxTree.ParseText(code, ParseOptions, cancellationToken: cancellationToken);
            var (text, _, _) = _imports.Prepend(code, own);
            // Roslyn fails to emit a script with nothing but directives, without saying why; an empty statement fixes it.
            if (((CompilationUnitSyntax)own.GetRoot(cancellationToken)).Members.Count == 0) text += "\n;";
            // A rooted file name keeps #load relative to the notebook folder and names the cell in stack traces.
            var tree = CSharpSyntaxTree.ParseText(SourceText.From(text, Encoding.UTF8), ParseOptions,
                Path.Combine(_workingDirectory, cellName), cancellationToken);
            var compilation = CSharpCompilation.CreateScriptCompilation($"stylelab-cell{number}-{Guid.NewGuid():N}", tree,
                References, _options.WithScriptClassName($"__Cell{number}"), returnType: typeof(object), globalsType: _scope);

            using var pe = new MemoryStream();
            var emitted = compilation.Emit(pe, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded),
                cancellationToken: cancellationToken);
            if (!emitted.Success)
                return new CellResult(null, CellError.FromDiagnostics(emitted.Diagnostics));
            _loader.LoadDirectiveReferences(compilation);
            byte[] image = pe.ToArray();
            var assembly = AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(image));

            var host = _scope == typeof(KernelGlobals) ? _globals : (KernelGlobals)Activator.CreateInstance(_scope, _globals)!;
            var submissions = new object?[2];
            submissions[0] = host;
            var factory = assembly.GetType($"__Cell{number}")!.GetMethod("<Factory>")!.CreateDelegate<Func<object?[], Task<object?>>>();
            object? value;
            try { value = factory(submissions).GetAwaiter().GetResult(); }
            catch (Exception e) { return new CellResult(null, CellError.FromException(e)); }

            lock (_gate)
            {
                if (abandoned.IsCompleted) return new CellResult(null, CellError.Abandoned(cellName));
                Remember(own, compilation, image, submissions[1]!);
            }
            return new CellResult(value, null);
        }
        catch (Exception e) // cancelled while compiling, or a #r assembly that does not load
        {
            return new CellResult(null, CellError.FromException(e));
        }
    }

    /// <summary>Makes packages' assemblies visible to this cell and the next ones (those not referenced already).</summary>
    void AddReferences(IReadOnlyList<string> assemblies)
    {
        lock (_gate)
        {
            var known = References.OfType<PortableExecutableReference>()
                .Select(r => Path.GetFileNameWithoutExtension(r.FilePath)).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
            var added = assemblies.Where(a => !known.Contains(Path.GetFileNameWithoutExtension(a))).Select(ScriptReferences.FromFile);
            _fixed = _fixed.AddRange(added);
            Workspace.Update(Context);
        }
    }

    /// <summary>Makes a cell that ran visible to the next ones.</summary>
    /// <remarks>
    /// Later cells need a cell's own assembly only for the types it declares (its variables reach them
    /// through its scope); every <see cref="_flattenEvery"/> scopes the chain is flattened.
    /// </remarks>
    void Remember(SyntaxTree own, CSharpCompilation compilation, byte[] image, object cell)
    {
        var cellClass = compilation.ScriptClass!;
        int index = Submissions.Add(cell);
        var cellImage = Reference(image);
        _fixed = _fixed.AddRange(compilation.DirectiveReferences.Where(r => !_fixed.Contains(r)));
        bool declaresTypes = cellClass.GetTypeMembers().Any(t => t.CanBeReferencedByName);
        if (declaresTypes) _fixed = _fixed.Add(cellImage);
        if (CellScope.Build(cellClass, index, _scope, declaresTypes ? References : References.Add(cellImage)) is var (scope, scopeImage))
        {
            _scopes = _scopes.Add(Reference(scopeImage));
            _scope = scope;
            if (++_chain >= _flattenAt) Flatten(index);
        }
        _imports.Add(own, cellClass);
        Workspace.Update(Context);
    }

    /// <summary>Replaces the scopes since <see cref="_root"/> with flat classes (if they compile).</summary>
    void Flatten(int index)
    {
        IReadOnlyList<(Type Type, byte[] Image)>? layers;
        try { layers = CellScope.Flatten(_scope, _root, index, References); }
        catch (Exception e) // the chain still works; the cell that ran must not be reported as failed
        {
            Log.Warn($"scopes not flattened: {e.Message}");
            layers = null;
        }
        if (layers is null)
        {
            _flattenAt = _chain + _flattenEvery; // try again after as many cells
            return;
        }
        _scopes = _scopes.RemoveRange(_scopes.Length - _chain, _chain).AddRange(layers.Select(l => Reference(l.Image)));
        _scope = _root = layers[^1].Type;
        _chain = 0;
        _flattenAt = _flattenEvery;
    }

    /// <summary>Scopes per flat class; <c>STYLELAB_KERNEL_FLATTEN_EVERY</c> sets it (tests use 2 to flatten all the time).</summary>
    static int FlattenEvery() =>
        int.TryParse(Environment.GetEnvironmentVariable("STYLELAB_KERNEL_FLATTEN_EVERY"), out int n) && n >= 1 ? n : 32;

    /// <summary>
    /// A reference to an emitted image kept on the pinned heap: Roslyn pins the bytes it reads for
    /// the session's lifetime, which in the ordinary heap left a gap around every cell's image.
    /// </summary>
    static MetadataReference Reference(byte[] image)
    {
        var pinned = GC.AllocateUninitializedArray<byte>(image.Length, pinned: true);
        image.CopyTo(pinned, 0);
        return MetadataReference.CreateFromImage(ImmutableCollectionsMarshal.AsImmutableArray(pinned));
    }
}
