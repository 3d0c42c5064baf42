using System.CommandLine;
using Spectre.Console;
using StyleLab.Weights;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab weights list | verify [id|file|folder…] | fetch &lt;id&gt; | import PATH… | convert IN OUT</c>: what StyleLab knows, where it is, is it intact.</summary>
public static class WeightsCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("weights", "List, verify and download pretrained weights (see weights/manifest.json).");

        var list = new Command("list", "Show every known weight file and where it was found.");
        list.SetAction(_ => List(console));

        var verifyTargets = new Argument<string[]>("targets")
        {
            Description = "Weights ids, files or folders; every file in the weights folders when omitted.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var verify = new Command("verify",
            "Hash weight files and compare with the manifest's SHA-256 and with any <file>.sha256 beside them (ok / MISMATCH / unknown); exits 1 on a mismatch.")
            { verifyTargets };
        verify.SetAction(parse => Verify(console, parse.GetValue(verifyTargets) ?? []));

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

    static int Verify(CliConsole console, IReadOnlyList<string> targets)
    {
        using var resolver = new WeightResolver();
        var checks = new List<WeightFileCheck>();
        if (targets.Count == 0)
            foreach (var place in resolver.Places.Where(p => Directory.Exists(p.Directory)))
                checks.AddRange(WeightFileCheck.FilesUnder(place.Directory).Select(f => WeightFileCheck.Of(f, resolver.Registry)));
        foreach (var target in targets)
        {
            if (Directory.Exists(target)) checks.AddRange(WeightFileCheck.FilesUnder(target).Select(f => WeightFileCheck.Of(f, resolver.Registry)));
            else if (File.Exists(target)) checks.Add(WeightFileCheck.Of(target, resolver.Registry));
            else if (resolver.Registry.TryGet(target, out var entry))
            {
                var location = resolver.Locate(entry.Id) ?? throw new WeightNotFoundException(entry, resolver.Places);
                checks.Add(WeightFileCheck.Of(location.Path, resolver.Registry, entry));
            }
            else throw new UsageException($"'{target}' is neither a weights id (see `stylelab weights list`), a file nor a folder.");
        }
        if (checks.Count == 0)
        {
            console.Out.MarkupLine("No weight files found to verify (see `stylelab weights list`).");
            return ExitCodes.Success;
        }
        var table = new Table().AddColumns("file", "sha256", "manifest", ".sha256", "result");
        foreach (var c in checks)
            table.AddRow(Markup.Escape(c.Path), c.Sha256[..16] + "…", Manifest(c), Sidecar(c.SidecarMatches), Outcome(c.Outcome));
        console.Out.Write(table);
        int ok = checks.Count(c => c.Outcome == WeightFileOutcome.Ok), unknown = checks.Count(c => c.Outcome == WeightFileOutcome.Unknown);
        var bad = checks.Where(c => c.Outcome == WeightFileOutcome.Mismatch).ToList();
        console.Out.MarkupLine($"{checks.Count} files: {ok} ok, {bad.Count} mismatched, {unknown} with no recorded hash.");
        if (bad.Count == 0) return ExitCodes.Success;
        var first = bad[0];
        string why = first.Manifest is { Verdict: WeightVerdict.Mismatch } m
            ? $"the manifest's {m.Entry.ExpectedHash} for '{m.Entry.Id}'"
            : $"{Path.GetFileName(first.Path)}{WeightFileCheck.SidecarExtension}'s {first.Sidecar}";
        console.Error.WriteLine($"error: {bad.Count} file(s) do not match their recorded SHA-256; {first.Path} has {first.Sha256}, not {why}. Delete it and fetch or import it again.");
        return ExitCodes.Failure;
    }

    static string Manifest(WeightFileCheck check) => check.Manifest is { } m
        ? $"{Markup.Escape(m.Entry.Id)}: {Verdict(m.Verdict)}"
        : check.NameCandidates.Count > 0 ? $"[grey]{Markup.Escape(string.Join(" or ", check.NameCandidates))}: no published hash[/]" : "[grey]not in the manifest[/]";

    static string Sidecar(bool? matches) => matches switch
    {
        true => "[green]matches[/]",
        false => "[red]MISMATCH[/]",
        null => "[grey]none[/]",
    };

    static string Outcome(WeightFileOutcome outcome) => outcome switch
    {
        WeightFileOutcome.Ok => "[green]ok[/]",
        WeightFileOutcome.Unknown => "[grey]unknown[/]",
        _ => "[red]MISMATCH[/]",
    };

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
