using System.CommandLine;
using Spectre.Console;
using StyleLab.Encoders;
using StyleLab.Methods.AdaIN;
using StyleLab.Runtime;
using StyleLab.Training;
using StyleLab.Weights;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab train adain</c>: trains an AdaIN decoder (Huang &amp; Belongie 2017, §6.2) on a folder of photos
/// and a folder of paintings, and exports it as <c>decoder.pth</c> in the official layout.
/// </summary>
public static class TrainAdaINCommand
{
    /// <summary>The training checkpoint inside <c>--out</c>.</summary>
    public const string CheckpointName = "checkpoint.safetensors";

    /// <summary>The exported decoder inside <c>--out</c> (torch.save layout of the official decoder.pth).</summary>
    public const string DecoderName = "decoder.pth";

    public static Command Create(CliConsole console)
    {
        var defaults = new AdaINTrainingOptions();
        var contentDir = new Option<DirectoryInfo>("--content-dir") { Description = "Folder of photos (the paper: MS-COCO).", Required = true };
        var styleDir = new Option<DirectoryInfo>("--style-dir") { Description = "Folder of paintings (the paper: WikiArt).", Required = true };
        var run = new TrainingRunOptions(new TrainingDefaults(defaults.Steps, defaults.BatchSize, defaults.LearningRate, "adain-decoder", defaults.CheckpointEvery));
        var crop = new Option<int>("--crop") { Description = "Random square crop side.", DefaultValueFactory = _ => defaults.CropSize };
        var resize = new Option<int?>("--resize") { Description = "Smaller side before cropping (default: 512, or 2× --crop when --crop is below 256)." };
        var layer = new Option<string?>("--layer") { Description = "AdaIN layer (default: relu4_1, or relu3_1 when the VGG weights stop before block 4)." };
        var styleWeight = new Option<double>("--style-weight") { Description = "λ, the style loss weight.", DefaultValueFactory = _ => defaults.StyleWeight };
        var vgg = new Option<string?>("--vgg") { Description = $"VGG-19 weights (id or file; default: {AdaINWeights.OfficialVgg}, else {AdaINWeights.PartialVgg}, whichever is found)." };
        var warmup = new Option<int>("--warmup") { Description = "First train this many of the steps as a reconstruction decoder (not in the paper; makes runs of a few hundred steps stylise).", DefaultValueFactory = _ => defaults.WarmupSteps };
        var warmupLr = new Option<double>("--warmup-lr") { Description = "Adam's learning rate during the warm-up.", DefaultValueFactory = _ => defaults.WarmupLearningRate };
        contentDir.AcceptExistingOnly();
        styleDir.AcceptExistingOnly();

        var command = new Command("adain", "Train an AdaIN decoder: loss = content + λ·style (Huang & Belongie 2017).")
        {
            contentDir, styleDir, crop, resize, layer, styleWeight, warmup, warmupLr, vgg,
        };
        run.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var training = run.Bind(parse);
            int cropSize = parse.GetValue(crop), batchSize = training.Batch, stepCount = training.Steps;
            if (cropSize < 16) throw new UsageException($"--crop must be at least 16, not {cropSize}.");
            if (parse.GetValue(warmup) is var w && (w < 0 || w >= stepCount))
                throw new UsageException($"--warmup must be at least 0 and below --steps ({stepCount}).");
            int resizeTo = parse.GetValue(resize) ?? (cropSize >= 256 ? 512 : 2 * cropSize);
            if (resizeTo < cropSize) throw new UsageException($"--resize ({resizeTo}) must be at least --crop ({cropSize}).");
            var options = new AdaINTrainingOptions(stepCount, parse.GetValue(styleWeight), 1.0, training.LearningRate, batchSize, resizeTo, cropSize,
                parse.GetValue(layer), training.Seed, training.CheckpointEvery, training.LogEvery, WarmupSteps: parse.GetValue(warmup), WarmupLearningRate: parse.GetValue(warmupLr));
            var torchDevice = training.Device;
            var folder = training.Folder;
            var checkpoint = Path.Combine(folder, CheckpointName);
            training.RequireCheckpoint(checkpoint);

            string vggChoice = parse.GetValue(vgg) ?? AdaINWeights.FirstLocal(AdaINWeights.OfficialVgg, AdaINWeights.PartialVgg) ?? AdaINWeights.OfficialVgg;
            var encoder = TrainingEncoder.Prepare(console, await AdaINWeights.LoadVggAsync(console, vggChoice, torchDevice, ct), folder,
                training.Resume, parse.GetValue(contentDir)!, parse.GetValue(styleDir)!, cropSize, torchDevice);
            string vggUsed = VggNormalisation.IsOfficialNormalised(encoder) ? vggChoice : Path.Combine(folder, TrainingEncoder.FileName);
            if (options.Layer is { } l)
            {
                try { encoder.Require(l); }
                catch (ArgumentException e) { encoder.Dispose(); throw new UsageException($"--layer: {e.Message.Split(" (Parameter")[0]}"); }
            }
            using var model = AdaINTraining.CreateModel(encoder, options, torchDevice);
            if (options.Layer is null && model.Layer != "relu4_1")
                console.Out.MarkupLine($"[yellow]These VGG weights stop at {encoder.DeepestLayer.Name}, before relu4_1: AdaIN runs at {model.Layer} " +
                    $"(style loss {string.Join(", ", model.StyleLayers)}).[/]");
            var data = new ImagePairDataset(parse.GetValue(contentDir)!.FullName, parse.GetValue(styleDir)!.FullName, options.Data, torchDevice);
            data.Warning += m => console.Out.MarkupLine($"[yellow]warning: {Markup.Escape(m)}[/]");
            using var loop = new TrainingLoop<ImagePair>(new AdaINTraining(model, options), data, options.Loop(checkpoint));
            if (training.Resume)
            {
                loop.Resume(checkpoint);
                console.Out.MarkupLine($"Resumed at step {loop.Step} from {Markup.Escape(checkpoint)}.");
            }
            console.Out.MarkupLine($"Training a decoder from {model.Layer}: {data.Content.Files.Count} photos, {data.Style.Files.Count} paintings, " +
                $"batch {batchSize}, {resizeTo} → {cropSize}² crops, Adam {options.LearningRate:g3}, λ = {options.StyleWeight:g3}, {stepCount} steps" +
                (options.WarmupSteps > 0 ? $", the first {options.WarmupSteps} reconstructing the photos (Adam {options.WarmupLearningRate:g3})." : "."));
            try
            {
                // The loop sees the token: it checkpoints before stopping.
                await TrainingBar.RunAsync(console, "AdaIN", loop.Step, stepCount, progress => loop.Run(progress, ct), ct);
            }
            catch (OperationCanceledException)
            {
                // On Ctrl+C the loop has checkpointed the last whole step: the decoder so far is usable. Not after a
                // divergence, whose message says which checkpoint on disk is good.
                TorchSave.Save(Path.Combine(folder, DecoderName), model.Decoder.state_dict());
                console.Error.WriteLine($"Interrupted at step {loop.Step}: checkpoint {checkpoint} and decoder written; continue with --resume.");
                throw;
            }
            TorchSave.Save(Path.Combine(folder, DecoderName), model.Decoder.state_dict());
            var last = loop.History.Last;
            console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(Path.Combine(folder, DecoderName))}[/] (official decoder.pth layout, from {model.Layer}) " +
                $"after {loop.Step} steps: {Terms(last)}.");
            console.Out.MarkupLine($"Try it: stylelab adain --decoder {Markup.Escape(Path.Combine(folder, DecoderName))} --vgg {Markup.Escape(vggUsed)} -c photo.jpg -s painting.jpg -o out.png");
            return ExitCodes.Success;
        });
        return command;
    }

    // The terms of a step but the total: content and style, or pixel and feature during the warm-up.
    static string Terms(IReadOnlyDictionary<string, double> losses) =>
        string.Join(" ", losses.Where(kv => kv.Key != "total").Select(kv => $"{kv.Key} {kv.Value:G4}"));
}
