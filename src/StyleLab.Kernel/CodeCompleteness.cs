using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace StyleLab.Kernel;

/// <summary>is_complete_request: whether a console frontend should run the code or wait for more lines.</summary>
public static class CodeCompleteness
{
    /// <summary>"complete", "incomplete" (an open brace, string or statement) or "invalid" (a syntax error more input cannot fix).</summary>
    public static string Check(string code)
    {
        if (string.IsNullOrWhiteSpace(code)) return "complete";
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        if (!SyntaxFactory.IsCompleteSubmission(tree)) return "incomplete";
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? "invalid" : "complete";
    }
}
