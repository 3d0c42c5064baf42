using System.CommandLine;
using Spectre.Console;
using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods.SANet;
using StyleLab.Runtime;
using StyleLab.Training;
using TorchSharp;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab train sanet</c>: trains SANet's transform and decoder (official losses and weights) on a
/// content folder and a style folder; a progress bar, checkpoints, Ctrl+C writes one and exits 130.
/// </summary>
public static class TrainSANetCommand
{
    public static Command Create(CliConsole console)
    {
        var contentDir = new Option<DirectoryInfo>("--content-dir") { Description = "Folder of content photos (e.g. COCO).", Required = true };
        var styleDir = new Option<DirectoryInfo>("--style-dir") { Description = "Folder of style images (e.g. WikiArt).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder for checkpoint.safetensors, transformer.safetensors and decoder.safetensors.", Required = true };
        var steps = new Option<int>("--steps") { Description = "Total optimiser steps (official: 160000).", DefaultValueFactory = _ => 160000 };
        var batch = new Option<int>("--batch") { Description = "Content/style pairs per step (official: 5).", DefaultValueFactory = _ => 5 };
        var crop = new Option<int>("--crop") { Description = "Random crop size (official: 256).", DefaultValueFactory = _ => 256 };
        var resize = new Option<int?>("--resize") { Description = "Smaller side before cropping (default: twice --crop; official 512)." };
        var lr = new Option<double>("--lr") { Description = "Adam's learning rate (official: 1e-4).", DefaultValueFactory = _ => 1e-4 };
        var resume = new Option<bool>("--resume") { Description = "Continue from <out>/checkpoint.safetensors." };
        var vgg = new Option<string?>("--vgg") { Description = "VGG-19 weights (file or registry id). Full VGG: SANets at relu4_1+relu5_1; weights ending in block 3: relu3_1+pool3." };
        var every = new Option<int>("--checkpoint-every") { Description = "Write a checkpoint every this many steps.", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Seed of the data order and libtorch's generator.", DefaultValueFactory = _ => 0 };
        var device = GlobalOptions.Device();
        contentDir.AcceptExistingOnly();
        styleDir.AcceptExistingOnly();

        var command = new Command("sanet", "Train SANet (Park & Lee 2019): content, style and identity losses, weights 1 / 3 / 50 / 1.")
        {
            contentDir, styleDir, output, steps, batch, crop, resize, lr, resume, vgg, every, seed, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            int stepCount = parse.GetValue(steps), batchSize = parse.GetValue(batch), cropSize = parse.GetValue(crop);
            if (stepCount < 1) throw new UsageException($"--steps must be at least 1, not {stepCount}.");
            if (batchSize < 1) throw new UsageException($"--batch must be at least 1, not {batchSize}.");
            if (cropSize < 32) throw new UsageException($"--crop must be at least 32 pixels, not {cropSize}.");
            int resizeTo = parse.GetValue(resize) ?? 2 * cropSize;
            if (resizeTo < cropSize) throw new UsageException($"--resize ({resizeTo}) must be at least --crop ({cropSize}).");
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(folder);
            string checkpoint = Path.Combine(folder, "checkpoint.safetensors");
            if (parse.GetValue(resume) && !File.Exists(checkpoint)) throw new UsageException($"--resume: there is no checkpoint at {checkpoint}.");

            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            var encoder = await EncoderChoice.LoadAsync(console, parse.GetValue(vgg), torchDevice, ct, VggPresets.Normalised);
            encoder = TrainingEncoder.Prepare(console, encoder, folder, parse.GetValue(resume),
                parse.GetValue(contentDir)!, parse.GetValue(styleDir)!, cropSize, torchDevice);
            var layers = SANetLayers.For(encoder);
            var transform = new SANetTransform(layers);
            var decoder = new VggDecoder(layers.Shallow);
            transform.to(torchDevice);
            decoder.to(torchDevice);
            using var model = new SANetModel(encoder, transform, decoder);
            var data = new ImagePairDataset(parse.GetValue(contentDir)!.FullName, parse.GetValue(styleDir)!.FullName,
                new ImageFolderOptions(batchSize, resizeTo, cropSize, parse.GetValue(seed)), torchDevice);
            data.Warning += message => console.Error.WriteLine($"warning: {message}");
            using var loop = new TrainingLoop<ImagePair>(new SANetTraining(model), data,
                new TrainingOptions(stepCount, parse.GetValue(lr), Math.Max(0, parse.GetValue(every)), checkpoint, LogEvery: 1, Seed: parse.GetValue(seed)));
            if (parse.GetValue(resume)) loop.Resume(checkpoint);
            console.Out.MarkupLine($"[grey]SANet at {layers} ({layers.Channels} channels), {data.Content.Files.Count} content and {data.Style.Files.Count} style images, " +
                $"batch {batchSize}, crop {cropSize} of {resizeTo}, from step {loop.Step}.[/]");

            string transformerPath = Path.Combine(folder, "transformer.safetensors"), decoderPath = Path.Combine(folder, "decoder.safetensors");
            try
            {
                await console.Out.Progress().AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask("starting", maxValue: stepCount);
                        task.Value = loop.Step;
                        var progress = new Bar(task);
                        await Task.Run(() => loop.Run(progress, ct), ct);
                    });
            }
            catch (OperationCanceledException)
            {
                // On Ctrl+C the loop has just checkpointed; the exported weights match it. Not after a divergence.
                model.Save(transformerPath, decoderPath);
                throw;
            }
            model.Save(transformerPath, decoderPath);
            var last = loop.History.Last;
            console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(transformerPath)}[/] and [bold]{Markup.Escape(decoderPath)}[/] after {loop.Step} steps: " +
                string.Join(", ", last.Select(kv => $"{kv.Key} {kv.Value:G3}")) + ".");
            return ExitCodes.Success;
        });
        return command;
    }

    sealed class Bar(ProgressTask task) : IProgress<TrainingReport>
    {
        public void Report(TrainingReport r)
        {
            task.Value = r.Step;
            task.Description = $"step {r.Step}/{r.Steps} " + string.Join(" ", r.Losses.Select(kv => $"{kv.Key} {kv.Value:G3}")) + $" ({r.SecondsPerStep:F2} s/step)";
        }
    }
}
