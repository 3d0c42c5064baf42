using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace StyleLab.Kernel;

/// <summary>
/// A failed cell as Jupyter shows it: ename, evalue and traceback lines whose line numbers are
/// the cell's own (line 1 is the cell's first line).
/// </summary>
public sealed partial record CellError(string Name, string Value, IReadOnlyList<string> Traceback)
{
    /// <summary>Compile errors: one line per error with its cell position, then the offending source line.</summary>
    public static CellError FromDiagnostics(IEnumerable<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var traceback = new List<string>();
        foreach (var error in errors)
        {
            traceback.Add(Describe(error));
            if (SourceLine(error) is { } line) traceback.Add(line);
        }
        string value = errors.Count == 0 ? "compilation failed" : Describe(errors[0]);
        if (errors.FirstOrDefault(IsTopLevelUsingDeclaration) is not null)
        {
            traceback.Add(UsingDeclarationHint);
            value += "\n" + UsingDeclarationHint;
        }
        return new CellError("CompilationError", value, traceback);
    }

    /// <summary>
    /// What to do about <c>using var x = …;</c> at the top of a cell: C# scripts do not allow it there
    /// (a cell's top-level variables outlive the cell), and the compiler only says "; expected".
    /// </summary>
    public const string UsingDeclarationHint =
        "hint: a cell is a C# script, and scripts do not allow `using var x = …;` at the top level. " +
        "Write `var x = …;` and dispose it later (`x.Dispose();`), or wrap the lines that use it in a block: `{ using var x = …; … }`.";

    static bool IsTopLevelUsingDeclaration(Diagnostic diagnostic) =>
        diagnostic.Id is "CS1002" or "CS1003" or "CS1001" or "CS1525" && diagnostic.Location.IsInSource &&
        UsingDeclaration().IsMatch(diagnostic.Location.SourceTree!.GetText()
            .Lines[diagnostic.Location.GetLineSpan().StartLinePosition.Line].ToString());

    [GeneratedRegex(@"^\s*(await\s+)?using\s+(var\s|[\w.<>\[\],?]+\s+\w+\s*=)")]
    private static partial Regex UsingDeclaration();

    /// <summary>
    /// A runtime exception: its type and message, then the frames from the cells and the
    /// libraries they called; the scripting engine and kernel frames beneath are left out.
    /// </summary>
    public static CellError FromException(Exception exception)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate) exception = aggregate.InnerExceptions[0];
        var traceback = new List<string> { $"{exception.GetType().FullName}: {exception.Message}" };
        traceback.AddRange(Frames(exception));
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            traceback.Add($" ---> {inner.GetType().FullName}: {inner.Message}");
        return new CellError(exception.GetType().Name, exception.Message, traceback);
    }

    /// <summary>A cell the user gave up on (interrupted twice) while it ignored the interrupt.</summary>
    public static CellError Abandoned(string cellName)
    {
        string message = $"{cellName} was abandoned: it did not stop when interrupted and still runs in the background " +
                         "(.NET cannot stop a thread). The kernel runs the next cells, but that thread keeps a CPU core busy " +
                         "and may hold objects they use: restart the kernel to stop it.";
        return new CellError("CellAbandoned", message, [$"CellAbandoned: {message}"]);
    }

    /// <summary>"In[3] (2,5): error CS0103: …" — 1-based line and column in the cell.</summary>
    static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        string where = span.IsValid
            ? $"{CellName(span.Path)} ({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): "
            : "";
        return $"{where}error {diagnostic.Id}: {diagnostic.GetMessage()}";
    }

    static string? SourceLine(Diagnostic diagnostic)
    {
        if (!diagnostic.Location.IsInSource) return null;
        var text = diagnostic.Location.SourceTree!.GetText();
        var span = diagnostic.Location.GetLineSpan();
        string line = text.Lines[span.StartLinePosition.Line].ToString();
        int column = span.StartLinePosition.Character;
        int width = span.StartLinePosition.Line == span.EndLinePosition.Line
            ? Math.Max(1, span.EndLinePosition.Character - column) : Math.Max(1, line.Length - column);
        return $"    {line}\n    {new string(' ', column)}{new string('^', width)}";
    }

    static IEnumerable<string> Frames(Exception exception)
    {
        foreach (var frame in new StackTrace(exception, fNeedFileInfo: true).GetFrames())
        {
            var method = frame.GetMethod();
            if (method is null) continue;
            string ns = method.DeclaringType?.Namespace ?? "";
            // Below the first frame of the session that ran the cell there is only the kernel.
            if (method.DeclaringType == typeof(ScriptSession) || ns.StartsWith("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal)) yield break;
            // A call into an earlier cell goes through its generated forwarder; the user never wrote that.
            if (method.DeclaringType?.Name.StartsWith("__Scope", StringComparison.Ordinal) == true) continue;
            if (ns is "System.Runtime.CompilerServices" or "System.Runtime.ExceptionServices") continue;
            string? file = frame.GetFileName();
            int line = frame.GetFileLineNumber();
            string where = file is not null && line > 0 ? $" in {CellName(file)}:line {line}" : "";
            yield return $"   at {MethodName(method)}{where}";
        }
    }

    /// <summary>Cells are compiled from files named after their prompt (…/In[3]); show just that.</summary>
    static string CellName(string path) => Path.GetFileName(path) is { Length: > 0 } name ? name : path;

    /// <summary>Readable names for script code: "__Cell2.&lt;&lt;Initialize&gt;&gt;d__0.MoveNext" is the cell body.</summary>
    static string MethodName(MethodBase method)
    {
        string full = $"{method.DeclaringType?.FullName}.{method.Name}";
        if (!full.StartsWith("Submission#", StringComparison.Ordinal) && !full.StartsWith("__Cell", StringComparison.Ordinal))
            return full.Replace('+', '.') + "()";
        if (full.Contains("<<Initialize>>")) return "<cell>";
        // __Cell2+<Fetch>d__3.MoveNext (async), __Cell2.Helper, __Cell2+<>c.<Helper>b__0_0 (lambda)
        var generated = GeneratedName().Match(full);
        if (generated.Success) return generated.Groups[1].Value + "()";
        return full[(full.IndexOfAny(['.', '+']) + 1)..].Replace('+', '.') + "()";
    }

    [GeneratedRegex(@"<(\w+)>[a-z]__")]
    private static partial Regex GeneratedName();
}
