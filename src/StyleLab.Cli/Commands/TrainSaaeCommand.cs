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
        // Each step: reconstruction, discriminator and adversarial updates, each with its own learning rate (no --lr).
        var run = new TrainingRunOptions(new TrainingDefaults(SaaeSession.Steps, SaaeSession.BatchSize, LearningRate: null, Out: "saae", CheckpointEvery: 100, MinBatch: 2));
        var size = SizeOption.WithDefault("Glyph side in pixels (a multiple of 8; exemplars are twice as wide).", 32);
        var classifierSteps = new Option<int>("--classifier-steps") { Description = "Steps of the clean-glyph classifier that scores the model (trained once per --out).", DefaultValueFactory = _ => SaaeSession.ClassifierSteps };
        var command = new Command("saae", "Stylised adversarial autoencoder (Zhao et al. 2018) on synthetic characters; needs no download.")
        {
            size, classifierSteps,
        };
        run.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            int pixels = parse.GetValue(size);
            if (pixels % 8 != 0) throw new UsageException($"--size must be a multiple of 8, not {pixels}.");
            if (parse.GetValue(classifierSteps) < 1) throw new UsageException("--classifier-steps must be at least 1.");
            var training = run.Bind(parse);
            var torchDevice = training.Device;
            string folder = training.Folder;
            string checkpoint = Path.Combine(folder, SaaeSession.CheckpointFile);
            bool resuming = training.Resume;
            training.RequireCheckpoint(checkpoint);
            if (!resuming && File.Exists(checkpoint))
                throw new UsageException($"'{checkpoint}' exists: add --resume to continue it, or choose another --out.");

            using var fonts = GlyphFonts.Find();
            console.Out.MarkupLine($"[grey]{fonts.Count} fonts ({fonts.HeldOut.Count} held out for evaluation), content font {Markup.Escape(fonts.Name(fonts.PlainIndex))}[/]");
            int seedValue = training.Seed;
            random.manual_seed(seedValue);
            using var model = new SaaeTraining(new SaaeOptions(pixels), device: torchDevice);
            using var data = new GlyphDataset(fonts, new GlyphDatasetOptions(training.Batch, pixels, seedValue), torchDevice);
            var options = training.Loop(checkpoint);
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
