using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using StyleLab.Kernel;

namespace StyleLab.Tests.Kernel;

public class CellErrorTests
{
    [Fact]
    public void Compile_errors_give_the_cells_line_and_column_and_show_the_line()
    {
        var script = CSharpScript.Create("var a = 1;\nvar b = nope + a;", ScriptOptions.Default.WithFilePath("/notebooks/In[7]"));
        var error = CellError.FromDiagnostics(script.Compile());
        Assert.Equal("CompilationError", error.Name);
        Assert.StartsWith("In[7] (2,9): error CS0103: The name 'nope'", error.Value);
        Assert.Contains("    var b = nope + a;\n            ^^^^", error.Traceback);
    }

    [Fact]
    public void Exceptions_keep_type_message_and_inner_exception()
    {
        var inner = new InvalidDataException("bad header");
        var error = CellError.FromException(new AggregateException(new IOException("cannot read", inner)));
        Assert.Equal("IOException", error.Name);
        Assert.Equal("cannot read", error.Value);
        Assert.Equal("System.IO.IOException: cannot read", error.Traceback[0]);
        Assert.Equal(" ---> System.IO.InvalidDataException: bad header", error.Traceback[^1]);
    }
}

public class UsingDeclarationHintTests
{
    [Fact]
    public void A_top_level_using_declaration_gets_the_hint_and_other_errors_do_not()
    {
        var script = CSharpScript.Create("using var stream = new MemoryStream();\nstream.WriteByte(1);", ScriptOptions.Default.WithFilePath("/notebooks/In[2]"));
        var error = CellError.FromDiagnostics(script.Compile());
        Assert.Contains(CellError.UsingDeclarationHint, error.Value);
        Assert.Equal(CellError.UsingDeclarationHint, error.Traceback[^1]);

        var other = CellError.FromDiagnostics(CSharpScript.Create("var x = ;").Compile());
        Assert.DoesNotContain("hint:", other.Value);
    }
}
