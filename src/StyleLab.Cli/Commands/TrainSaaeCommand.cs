using System.CommandLine;
using Spectre.Console;
using StyleLab.Methods.Saae;
using StyleLab.Runtime;
using StyleLab.Training;
using static TorchSharp.torch;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab train saae</c>: trains SAAE (Zhao et al. 2018) on synthetic characters, then trains (once) the
/// clean-glyph classifier, scores the generator on held-out styles and draws a content × style grid.
/// </summary>
public static class TrainSaaeCommand
{
    public static Command Create(CliConsole console)
    {
        var steps = new Option<int>("--steps") { Description = "Training steps (each: reconstruction, discriminator and adversarial updates).", DefaultValueFactory = _ => SaaeSession.Steps };
        var size = SizeOption.WithDefault("Glyph side in pixels (a multiple of 8; exemplars are twice as wide).", 32);
        var output = new Option<string>("--out", "-o") { Description = "Folder for saae.safetensors (the checkpoint), classifier.safetensors and grid.png.", DefaultValueFactory = _ => "saae" };
        var batch = new Option<int>("--batch") { Description = "Samples per batch.", DefaultValueFactory = _ => SaaeSession.BatchSize };
        var seed = new Option<int>("--seed") { Description = "Seed of the weights and of the synthetic data.", DefaultValueFactory = _ => 0 };
        var resume = new Option<bool>("--resume") { Description = "Continue the checkpoint in --out (exactly where it stopped) up to --steps." };
        var every = new Option<int>("--checkpoint-every") { Description = "Write the checkpoint every this many steps (and at the end and on Ctrl+C).", DefaultValueFactory = _ => 100 };
        var classifierSteps = new Option<int>("--classifier-steps") { Description = "Steps of the clean-glyph classifier that scores the model (trained once per --out).", DefaultValueFactory = _ => SaaeSession.ClassifierSteps };
        var device = GlobalOptions.Device();
        var command = new Command("saae", "Stylised adversarial autoencoder (Zhao et al. 2018) on synthetic characters; needs no download.")
        {
            steps, size, output, batch, seed, resume, every, classifierSteps, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            int pixels = parse.GetValue(size);
            if (pixels % 8 != 0) throw new UsageException($"--size must be a multiple of 8, not {pixels}.");
            if (parse.GetValue(steps) < 1) throw new UsageException("--steps must be at least 1.");
            if (parse.GetValue(batch) < 2) throw new UsageException("--batch must be at least 2.");
            if (parse.GetValue(classifierSteps) < 1) throw new UsageException("--classifier-steps must be at least 1.");
            if (parse.GetValue(every) < 0) throw new UsageException("--checkpoint-every must be 0 (only at the end) or more.");
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            string checkpoint = Path.Combine(folder, SaaeSession.CheckpointFile);
            bool resuming = parse.GetValue(resume);
            if (resuming && !File.Exists(checkpoint)) throw new UsageException($"--resume: there is no checkpoint '{checkpoint}'.");
            if (!resuming && File.Exists(checkpoint))
                throw new UsageException($"'{checkpoint}' exists: add --resume to continue it, or choose another --out.");

            using var fonts = GlyphFonts.Find();
            console.Out.MarkupLine($"[grey]{fonts.Count} fonts ({fonts.HeldOut.Count} held out for evaluation), content font {Markup.Escape(fonts.Name(fonts.PlainIndex))}[/]");
            int seedValue = parse.GetValue(seed);
            random.manual_seed(seedValue);
            using var model = new SaaeTraining(new SaaeOptions(pixels), device: torchDevice);
            using var data = new GlyphDataset(fonts, new GlyphDatasetOptions(parse.GetValue(batch), pixels, seedValue), torchDevice);
            var options = new TrainingOptions(parse.GetValue(steps), CheckpointEvery: parse.GetValue(every), CheckpointPath: checkpoint, LogEvery: 1, Seed: seedValue);
            using var loop = new TrainingLoop<SaaeBatch>(model, data, options);
            if (resuming)
            {
                try { loop.Resume(checkpoint); }
                catch (InvalidDataException e) { throw new StyleLab.Weights.WeightFileException(checkpoint, e.Message, e); }
                console.Out.MarkupLine($"[grey]resuming at step {loop.Step}[/]");
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                await TrainingBar.RunAsync(console, "SAAE", loop.Step, options.Steps,
                    progress => loop.Run(progress, ct), ct);
            }
            catch (OperationCanceledException)
            {
                console.Out.MarkupLine($"Stopped at step {loop.Step}; checkpoint [bold]{Markup.Escape(checkpoint)}[/] (continue with --resume).");
                throw;
            }
            console.Out.MarkupLine($"Trained to step {loop.Step} in {clock.Elapsed.TotalMinutes:F1} min; checkpoint [bold]{Markup.Escape(checkpoint)}[/].");

            using var classifier = await SaaeSession.ClassifierAsync(console, fonts, folder, pixels, ct, parse.GetValue(classifierSteps));
            using var heldOut = new GlyphDataset(fonts, new GlyphDatasetOptions(ImageSize: pixels, Seed: seedValue, Split: GlyphSplit.HeldOut));
            var score = SaaeEvaluation.Evaluate(model.Generator, classifier, heldOut, cancellationToken: ct);
            SaaeSession.PrintScore(console, score);
            string grid = Path.Combine(folder, "grid.png");
            SaaeSession.WriteGrid(model.Generator, heldOut, grid);
            console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(grid)}[/] (held-out styles across, content down).");
            return ExitCodes.Success;
        });
        return command;
    }
}
