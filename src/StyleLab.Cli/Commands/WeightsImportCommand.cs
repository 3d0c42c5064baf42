using System.CommandLine;
using Spectre.Console;
using StyleLab.Weights;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab weights import PATH… [--id ID] [--into DIR]</c>: files hand-downloaded official weights (files,
/// folders, zip archives) under their manifest ids, recognised by content (<see cref="WeightImporter"/>).
/// </summary>
public static class WeightsImportCommand
{
    public static Command Create(CliConsole console)
    {
        var paths = new Argument<string[]>("path") { Description = "Weight files, folders or zip archives.", Arity = ArgumentArity.OneOrMore };
        var id = new Option<string?>("--id") { Description = "The manifest id, where the content alone leaves a choice (e.g. vgg19-caffe vs vgg19-torchvision)." };
        var into = new Option<string?>("--into") { Description = "Weights folder to file them in (default: the user cache)." };
        var command = new Command("import", "Recognise weight files by their content and file them under their manifest ids.") { paths, id, into };
        command.SetAction((parse, ct) => Task.FromResult(Run(console, parse.GetValue(paths)!, parse.GetValue(id), parse.GetValue(into), ct)));
        return command;
    }

    static int Run(CliConsole console, string[] paths, string? id, string? into, CancellationToken cancellationToken)
    {
        using var resolver = new WeightResolver();
        string folder = Path.GetFullPath(into ?? resolver.CacheDirectory);
        var results = WeightImporter.Import(paths, folder, resolver.Registry, id, cancellationToken: cancellationToken);
        foreach (var r in results)
        {
            string line = r.Imported
                ? $"[green]{Markup.Escape(r.Id!)}[/] ← {Markup.Escape(r.Source)}: {Markup.Escape(r.Found)}; sha256 {r.Sha256![..16]}…, copied to {Markup.Escape(r.Destination!)}"
                : $"[yellow]not imported[/] {Markup.Escape(r.Source)}: {Markup.Escape(r.Found)}";
            if (r.Note is not null) line += $" ({Markup.Escape(r.Note)})";
            console.Out.MarkupLine(line);
        }
        int imported = results.Count(r => r.Imported);
        console.Out.MarkupLine($"{imported} of {results.Count} files imported into {Markup.Escape(folder)}.");
        return imported > 0 ? ExitCodes.Success : ExitCodes.Failure;
    }
}
