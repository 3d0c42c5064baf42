using System.CommandLine;
using Spectre.Console;
using StyleLab.Batch;
using StyleLab.Methods;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab batch plan</c>: a deterministic recipe (folders, pairing, seed) written out as a manifest every task then reads.</summary>
public static class BatchPlanCommand
{
    public static Command Create(CliConsole console)
    {
        var contents = new Option<string>("--contents") { Description = "Folder of photos (searched recursively; outputs mirror its tree).", Required = true };
        var styles = new Option<string>("--styles") { Description = "Folder of style images (for the fast method: network names, comma-separated, e.g. wave,udnie).", Required = true };
        var pairing = new Option<string[]>("--pairing")
        {
            Description = "random (one random style per photo), all (every style), or per-content K (K random styles per photo).",
            Arity = new ArgumentArity(1, 2), AllowMultipleArgumentsPerToken = true,
        };
        var preset = new Option<string?>("--preset") { Description = "stylized-imagenet: each photo with one random painting by AdaIN (Geirhos et al. 2019)." };
        preset.AcceptOnlyFromAmong("stylized-imagenet");
        var method = new Option<string?>("--method") { Description = $"The method of every item ({string.Join(", ", StyleTransferFactory.Methods)}); the preset's by default." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random pairing.", DefaultValueFactory = _ => 0 };
        var size = SizeOption.Optional("Longest side of photo and styles in pixels (default: each image's own size).");
        var output = new Option<string>("--output", "-o") { Description = "The manifest to write: .csv or .jsonl.", Required = true };
        var command = new Command("plan", "Write a manifest from a folder of photos and one of styles, deterministically by --seed.")
        {
            contents, styles, pairing, preset, method, seed, size, output,
        };
        command.SetAction(parse =>
        {
            bool imagenet = parse.GetValue(preset) is not null;
            var (how, k) = Pairing(parse.GetValue(pairing) ?? (imagenet ? ["random"] : null));
            string methodName = parse.GetValue(method) ?? (imagenet ? "adain" : throw new UsageException("--method: which method? (or --preset stylized-imagenet)"));
            if (!StyleTransferFactory.Methods.Contains(methodName)) throw new UsageException($"--method: '{methodName}' is not a method ({string.Join(", ", StyleTransferFactory.Methods)}).");
            string manifest = parse.GetValue(output)!;
            if (Path.GetExtension(manifest).ToLowerInvariant() is not (".csv" or ".jsonl" or ".ndjson")) throw new UsageException($"--output '{manifest}': a manifest is .csv or .jsonl.");
            var recipe = new BatchRecipe(parse.GetValue(contents)!, parse.GetValue(styles)!, methodName, how, k, parse.GetValue(seed)) { Size = parse.GetValue(size) };
            IReadOnlyList<BatchItem> items;
            try { items = recipe.Generate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            // Paths relative to the manifest, which Manifest.Load reads them against: the manifest and the data can move together.
            string folder = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
            string Relative(string p) => Path.GetRelativePath(folder, Path.GetFullPath(p));
            Directory.CreateDirectory(folder);
            Manifest.Save(manifest, items.Select(i => i with
            {
                Content = Relative(i.Content),
                Styles = i.Styles.Select(s => File.Exists(s) ? Relative(s) : s).ToList(),
            }));
            console.Out.WriteLine($"Wrote {manifest}: {items.Count} items ({items.Select(i => i.Content).Distinct().Count()} photos, method {methodName}, pairing {string.Join(' ', parse.GetValue(pairing) ?? ["random"])}, seed {parse.GetValue(seed)}).");
            return ExitCodes.Success;
        });
        return command;
    }

    static (Pairing, int) Pairing(string[]? values) => values switch
    {
        null or [] => throw new UsageException("--pairing: random, all, or per-content K."),
        ["random"] => (Batch.Pairing.Random, 1),
        ["all"] => (Batch.Pairing.All, 1),
        ["per-content", var k] when int.TryParse(k, out int n) && n >= 1 => (Batch.Pairing.PerContent, n),
        _ => throw new UsageException($"--pairing '{string.Join(' ', values)}': random, all, or per-content K (K ≥ 1)."),
    };
}
