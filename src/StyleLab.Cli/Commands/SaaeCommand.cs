using System.CommandLine;
using Spectre.Console;
using StyleLab.Imaging;
using StyleLab.Methods.Saae;
using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab saae sample | evaluate</c>: uses a generator trained by <c>stylelab train saae</c> — a content ×
/// style grid (or a style-interpolation strip) on held-out styles, or the recognition score.
/// </summary>
public static class SaaeCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("saae", "Use an SAAE model trained by `stylelab train saae`.");
        command.Subcommands.Add(Sample(console));
        command.Subcommands.Add(Evaluate(console));
        return command;
    }

    static Option<FileInfo> CheckpointOption()
    {
        var checkpoint = new Option<FileInfo>("--checkpoint", "-c") { Description = "The training checkpoint (saae.safetensors).", Required = true };
        checkpoint.AcceptExistingOnly();
        return checkpoint;
    }

    static Option<int> SeedOption() => new("--seed") { Description = "Seed of the held-out styles.", DefaultValueFactory = _ => 0 };

    static Command Sample(CliConsole console)
    {
        var checkpoint = CheckpointOption();
        var output = new Option<string>("--output", "-o") { Description = "Where to write the image (.png).", Required = true };
        var force = OutputFiles.ForceOption();
        var characters = new Option<string>("--chars") { Description = "Characters down the side (A–Z, 0–9).", DefaultValueFactory = _ => SaaeSession.GridCharacters };
        var styles = new Option<int>("--styles") { Description = "Held-out styles across the top.", DefaultValueFactory = _ => 6 };
        var scale = new Option<int>("--scale") { Description = "Enlarge the image this many times (nearest neighbour).", DefaultValueFactory = _ => 3 };
        var interpolate = new Option<bool>("--interpolate") { Description = "Instead of the grid: mix the style vectors of the first two styles, (1−t)·z₁ + t·z₂." };
        var seed = SeedOption();
        var device = GlobalOptions.Device();
        var command = new Command("sample", "Draw characters in held-out styles: a content × style grid.")
        {
            checkpoint, output, force, characters, styles, scale, interpolate, seed, device,
        };
        command.SetAction(parse =>
        {
            string text = parse.GetValue(characters)!;
            if (text.Length == 0 || text.Any(c => !GlyphAlphabet.Characters.Contains(char.ToUpperInvariant(c))))
                throw new UsageException($"--chars must be letters and digits ({GlyphAlphabet.Characters}), not '{text}'.");
            int count = parse.GetValue(styles), factor = parse.GetValue(scale);
            if (count < 1 || count > 64) throw new UsageException($"--styles must be 1 … 64, not {count}.");
            if (factor < 1 || factor > 16) throw new UsageException($"--scale must be 1 … 16, not {factor}.");
            string path = parse.GetValue(output)!;
            OutputFiles.Check(path, parse.GetValue(force), parse.GetValue(checkpoint)!.FullName);
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            using var generator = SaaeGenerator.Load(parse.GetValue(checkpoint)!.FullName, torchDevice);
            using var fonts = GlyphFonts.Find();
            using var heldOut = new GlyphDataset(fonts, new GlyphDatasetOptions(ImageSize: generator.Options.ImageSize, Seed: parse.GetValue(seed), Split: GlyphSplit.HeldOut));
            if (parse.GetValue(interpolate))
            {
                using var scope = NewDisposeScope();
                var exemplars = heldOut.Exemplars(2);
                var strip = SaaeGrid.Interpolation(generator, heldOut, text.ToUpperInvariant(), exemplars[..1], exemplars[1..2]);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                ImageIO.Save(SaaeGrid.Enlarge(strip, factor), path);
            }
            else SaaeSession.WriteGrid(generator, heldOut, path, text.ToUpperInvariant(), count, factor);
            console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(path))}[/].");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Evaluate(CliConsole console)
    {
        var checkpoint = CheckpointOption();
        var samples = new Option<int>("--samples") { Description = "Held-out samples to judge.", DefaultValueFactory = _ => 360 };
        var seed = SeedOption();
        var device = GlobalOptions.Device();
        var command = new Command("evaluate",
            "Recognition rate of generated glyphs on held-out styles (classifier trained on clean glyphs, saved next to the checkpoint) and L1 error.")
        {
            checkpoint, samples, seed, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            int n = parse.GetValue(samples);
            if (n < 1) throw new UsageException($"--samples must be at least 1, not {n}.");
            var file = parse.GetValue(checkpoint)!;
            using var generator = SaaeGenerator.Load(file.FullName, TorchRuntime.ParseDevice(parse.GetValue(device)));
            using var fonts = GlyphFonts.Find();
            int size = generator.Options.ImageSize;
            using var classifier = await SaaeSession.ClassifierAsync(console, fonts, file.DirectoryName!, size, ct);
            using var heldOut = new GlyphDataset(fonts, new GlyphDatasetOptions(ImageSize: size, Seed: parse.GetValue(seed), Split: GlyphSplit.HeldOut));
            SaaeSession.PrintScore(console, SaaeEvaluation.Evaluate(generator, classifier, heldOut, n, cancellationToken: ct));
            return ExitCodes.Success;
        });
        return command;
    }
}
