using System.CommandLine;
using Spectre.Console;
using StyleLab.Weights;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab weights list | verify [id] | fetch &lt;id&gt; | import PATH… | convert IN OUT</c>: what StyleLab knows, where it is, is it intact.</summary>
public static class WeightsCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("weights", "List, verify and download pretrained weights (see weights/manifest.json).");

        var list = new Command("list", "Show every known weight file and where it was found.");
        list.SetAction(_ => List(console));

        var verifyId = new Argument<string?>("id") { Description = "Weights id; all found weights when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var verify = new Command("verify", "Check the SHA-256 of found weights against the manifest.") { verifyId };
        verify.SetAction(parse => Verify(console, parse.GetValue(verifyId)));

        var fetchId = new Argument<string>("id") { Description = "Weights id (see `stylelab weights list`)." };
        var force = new Option<bool>("--force") { Description = "Download even when the file is already found." };
        var fetch = new Command("fetch", "Download weights into the user cache, verifying the SHA-256 where known.") { fetchId, force };
        fetch.SetAction((parse, ct) => FetchAsync(console, parse.GetValue(fetchId)!, parse.GetValue(force), ct));

        command.Subcommands.Add(list);
        command.Subcommands.Add(verify);
        command.Subcommands.Add(fetch);
        command.Subcommands.Add(WeightsImportCommand.Create(console));
        command.Subcommands.Add(WeightsConvertCommand.Create(console));
        return command;
    }

    static int List(CliConsole console)
    {
        using var resolver = new WeightResolver();
        var table = new Table().AddColumns("id", "format", "layers", "found");
        foreach (var entry in resolver.Registry.All)
        {
            var location = resolver.Locate(entry.Id);
            string found = location is not null
                ? $"[green]{Markup.Escape(location.Place.Origin)}[/] {Markup.Escape(location.Path)}"
                : entry.Downloadable ? "[yellow]missing[/] (stylelab weights fetch)" : "[grey]missing[/] (download by hand)";
            string layers = entry.Complete ? "complete" : $"[yellow]partial[/] {Markup.Escape(entry.Layers ?? "")}";
            table.AddRow(Markup.Escape(entry.Id), FormatName(entry.Format), layers, found);
        }
        console.Out.Write(table);
        console.Out.MarkupLine($"Searched: {Markup.Escape(string.Join("; ", resolver.Places))}");
        return ExitCodes.Success;
    }

    static int Verify(CliConsole console, string? id)
    {
        using var resolver = new WeightResolver();
        var results = id is not null
            ? [resolver.Verify(id)]
            : resolver.Registry.All.Where(e => resolver.Locate(e.Id) is not null).Select(e => resolver.Verify(e.Id)).ToList();
        if (results.Count == 0)
        {
            console.Out.MarkupLine("No weights found to verify (see `stylelab weights list`).");
            return ExitCodes.Success;
        }
        var table = new Table().AddColumns("id", "sha256", "verdict", "file");
        foreach (var r in results)
            table.AddRow(Markup.Escape(r.Entry.Id), r.Sha256[..16] + "…", Verdict(r.Verdict), Markup.Escape(r.Path));
        console.Out.Write(table);
        var bad = results.Where(r => !r.Ok).ToList();
        if (bad.Count == 0) return ExitCodes.Success;
        var first = bad[0];
        console.Error.WriteLine($"error: {first.Path}: sha256 {first.Sha256} does not match the manifest's {first.Entry.ExpectedHash} for '{first.Entry.Id}'; delete it and fetch again.");
        return ExitCodes.Failure;
    }

    /// <summary>The manifest's spelling (pth-legacy, not PthLegacy).</summary>
    static string FormatName(WeightFormat format) => System.Text.Json.JsonSerializer.Serialize(format).Trim('"');

    static string Verdict(WeightVerdict verdict) => verdict switch
    {
        WeightVerdict.Verified => "[green]verified[/]",
        WeightVerdict.PrefixVerified => "[green]verified (prefix)[/]",
        WeightVerdict.MatchesTestedCopy => "[green]matches tested copy[/]",
        WeightVerdict.Unknown => "[grey]no published hash[/]",
        _ => "[red]MISMATCH[/]",
    };

    static async Task<int> FetchAsync(CliConsole console, string id, bool force, CancellationToken cancellationToken)
    {
        using var resolver = new WeightResolver();
        var entry = resolver.Registry.Get(id);
        if (!force && resolver.Locate(id) is { } found)
        {
            console.Out.MarkupLine($"{Markup.Escape(id)} is already at {Markup.Escape(found.Path)} ({Markup.Escape(found.Place.Origin)}).");
            return ExitCodes.Success;
        }
        var location = await DownloadBar.RunAsync(console.Out, entry.File,
            progress => resolver.FetchAsync(id, progress, force, cancellationToken));
        string check = entry.ExpectedHash.IsKnown ? "sha256 verified" : "no published sha256 to verify against";
        console.Out.MarkupLine($"Saved {Markup.Escape(location.Path)} ({check}).");
        return ExitCodes.Success;
    }
}
