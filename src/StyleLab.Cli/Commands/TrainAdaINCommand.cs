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
        var steps = new Option<int>("--steps") { Description = "Adam steps (the paper: 160000).", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch") { Description = "Content/style pairs per step.", DefaultValueFactory = _ => defaults.BatchSize };
        var crop = new Option<int>("--crop") { Description = "Random square crop side.", DefaultValueFactory = _ => defaults.CropSize };
        var resize = new Option<int?>("--resize") { Description = "Smaller side before cropping (default: 512, or 2× --crop when --crop is below 256)." };
        var layer = new Option<string?>("--layer") { Description = "AdaIN layer (default: relu4_1, or relu3_1 when the VGG weights stop before block 4)." };
        var lr = new Option<double>("--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var styleWeight = new Option<double>("--style-weight") { Description = "λ, the style loss weight.", DefaultValueFactory = _ => defaults.StyleWeight };
        var vgg = new Option<string?>("--vgg") { Description = $"VGG-19 weights (id or file; default: {AdaINWeights.OfficialVgg}, else {AdaINWeights.PartialVgg}, whichever is found)." };
        var output = new Option<string>("--out", "-o") { Description = $"Folder for {CheckpointName} and {DecoderName}.", DefaultValueFactory = _ => "adain-decoder" };
        var resume = new Option<bool>("--resume") { Description = $"Continue from --out/{CheckpointName}." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N steps (and on Ctrl+C, and at the end).", DefaultValueFactory = _ => defaults.CheckpointEvery };
        var warmup = new Option<int>("--warmup") { Description = "First train this many of the steps as a reconstruction decoder (not in the paper; makes runs of a few hundred steps stylise).", DefaultValueFactory = _ => defaults.WarmupSteps };
        var warmupLr = new Option<double>("--warmup-lr") { Description = "Adam's learning rate during the warm-up.", DefaultValueFactory = _ => defaults.WarmupLearningRate };
        var seed = new Option<int>("--seed") { Description = "Seed of crops, pairs and initial weights.", DefaultValueFactory = _ => 0 };
        var device = GlobalOptions.Device();
        contentDir.AcceptExistingOnly();
        styleDir.AcceptExistingOnly();

        var command = new Command("adain", "Train an AdaIN decoder: loss = content + λ·style (Huang & Belongie 2017).")
        {
            contentDir, styleDir, steps, batch, crop, resize, layer, lr, styleWeight, warmup, warmupLr, vgg, output, resume, checkpointEvery, seed, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            int cropSize = parse.GetValue(crop), batchSize = parse.GetValue(batch), stepCount = parse.GetValue(steps);
            if (cropSize < 16 || batchSize < 1 || stepCount < 1)
                throw new UsageException("--crop must be at least 16, --batch and --steps at least 1.");
            if (parse.GetValue(warmup) is var w && (w < 0 || w >= stepCount))
                throw new UsageException($"--warmup must be at least 0 and below --steps ({stepCount}).");
            int resizeTo = parse.GetValue(resize) ?? (cropSize >= 256 ? 512 : 2 * cropSize);
            if (resizeTo < cropSize) throw new UsageException($"--resize ({resizeTo}) must be at least --crop ({cropSize}).");
            var options = new AdaINTrainingOptions(stepCount, parse.GetValue(styleWeight), 1.0, parse.GetValue(lr), batchSize, resizeTo, cropSize,
                parse.GetValue(layer), parse.GetValue(seed), parse.GetValue(checkpointEvery), LogEvery: 1, WarmupSteps: parse.GetValue(warmup), WarmupLearningRate: parse.GetValue(warmupLr));
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(folder);
            var checkpoint = Path.Combine(folder, CheckpointName);
            if (parse.GetValue(resume) && !File.Exists(checkpoint))
                throw new UsageException($"--resume: no checkpoint at {checkpoint}.");

            string vggChoice = parse.GetValue(vgg) ?? AdaINWeights.FirstLocal(AdaINWeights.OfficialVgg, AdaINWeights.PartialVgg) ?? AdaINWeights.OfficialVgg;
            var encoder = TrainingEncoder.Prepare(console, await AdaINWeights.LoadVggAsync(console, vggChoice, torchDevice, ct), folder,
                parse.GetValue(resume), parse.GetValue(contentDir)!, parse.GetValue(styleDir)!, cropSize, torchDevice);
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
            var training = new AdaINTraining(model, options);
            using var loop = new TrainingLoop<ImagePair>(training, data, options.Loop(checkpoint));
            if (parse.GetValue(resume))
            {
                loop.Resume(checkpoint);
                console.Out.MarkupLine($"Resumed at step {loop.Step} from {Markup.Escape(checkpoint)}.");
            }
            console.Out.MarkupLine($"Training a decoder from {model.Layer}: {data.Content.Files.Count} photos, {data.Style.Files.Count} paintings, " +
                $"batch {batchSize}, {resizeTo} → {cropSize}² crops, Adam {options.LearningRate:g3}, λ = {options.StyleWeight:g3}, {stepCount} steps" +
                (options.WarmupSteps > 0 ? $", the first {options.WarmupSteps} reconstructing the photos (Adam {options.WarmupLearningRate:g3})." : "."));
            try
            {
                await console.Out.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask($"step {loop.Step}/{stepCount}", maxValue: stepCount);
                        task.Value = loop.Step;
                        var progress = new Progress<TrainingReport>(r =>
                        {
                            task.Description = $"step {r.Step}/{r.Steps} {Terms(r.Losses)} ({r.SecondsPerStep:F2} s/step)";
                            task.Value = r.Step;
                        });
                        await Task.Run(() => loop.Run(progress, ct)); // the loop sees the token: it checkpoints before stopping
                        task.Value = stepCount;
                    });
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
