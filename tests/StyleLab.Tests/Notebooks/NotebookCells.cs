using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace StyleLab.Tests.Notebooks;

/// <summary>What a notebook cell sees of the kernel in these tests: <c>display</c> records the value.</summary>
public sealed class NotebookGlobals
{
    public List<object?> Displayed { get; } = [];

    public object? display(object? value)
    {
        Displayed.Add(value);
        return value;
    }
}

/// <summary>
/// Runs chosen cells of a committed notebook in-process with Roslyn scripting, as the StyleLab kernel does (one
/// script state continued cell by cell, every StyleLab namespace imported), without Jupyter.
/// </summary>
public static class NotebookCells
{
    public static string NotebookPath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "StyleLab.slnx"))) return Path.Combine(dir.FullName, "notebooks", name);
        throw new DirectoryNotFoundException("the repository root (StyleLab.slnx) is not above the test binaries");
    }

    /// <summary>The sources of the code cells: the first (set-up) cell and those tagged <paramref name="tag"/>.</summary>
    public static IReadOnlyList<string> Cells(string notebook, string tag)
    {
        var cells = JsonNode.Parse(File.ReadAllText(NotebookPath(notebook)))!["cells"]!.AsArray()
            .Where(c => (string?)c!["cell_type"] == "code").ToList();
        string Source(JsonNode cell) => cell["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)cell["source"] ?? "";
        bool Tagged(JsonNode cell) => cell["metadata"]?["tags"] is JsonArray tags && tags.Any(t => (string?)t == tag);
        return cells.Take(1).Concat(cells.Skip(1).Where(c => Tagged(c!))).Select(c => Source(c!)).ToList();
    }

    public static NotebookGlobals Run(IEnumerable<string> cells)
    {
        var assemblies = new[] { typeof(StyleLab.Weights.OfficialWeights).Assembly, typeof(StyleLab.Interactive.ImageGrid).Assembly };
        var imports = assemblies.SelectMany(a => a.GetExportedTypes()).Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("StyleLab", StringComparison.Ordinal)).Distinct()
            .Concat(["System", "System.IO", "System.Linq", "System.Collections.Generic", "TorchSharp"]);
        var options = ScriptOptions.Default
            .WithReferences(assemblies.Append(typeof(TorchSharp.torch).Assembly))
            .WithImports(imports);
        var globals = new NotebookGlobals();
        ScriptState<object>? state = null;
        foreach (var code in cells)
            state = state is null
                ? CSharpScript.RunAsync(code, options, globals, typeof(NotebookGlobals)).GetAwaiter().GetResult()
                : state.ContinueWithAsync(code, options).GetAwaiter().GetResult();
        return globals;
    }
}
