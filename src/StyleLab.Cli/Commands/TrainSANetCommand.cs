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
        // The official code's values: 160000 steps, batch 5, Adam 1e-4.
        var run = new TrainingRunOptions(new TrainingDefaults(Steps: 160000, Batch: 5, LearningRate: 1e-4, Out: null, CheckpointEvery: 500));
        var crop = new Option<int>("--crop") { Description = "Random crop size (official: 256).", DefaultValueFactory = _ => 256 };
        var resize = new Option<int?>("--resize") { Description = "Smaller side before cropping (default: twice --crop; official 512)." };
        var vgg = new Option<string?>("--vgg") { Description = "VGG-19 weights (file or registry id). Full VGG: SANets at relu4_1+relu5_1; weights ending in block 3: relu3_1+pool3." };
        contentDir.AcceptExistingOnly();
        styleDir.AcceptExistingOnly();

        var command = new Command("sanet", "Train SANet (Park & Lee 2019): content, style and identity losses, weights 1 / 3 / 50 / 1.")
        {
            contentDir, styleDir, crop, resize, vgg,
        };
        run.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var training = run.Bind(parse);
            int stepCount = training.Steps, batchSize = training.Batch, cropSize = parse.GetValue(crop);
            if (cropSize < 32) throw new UsageException($"--crop must be at least 32 pixels, not {cropSize}.");
            int resizeTo = parse.GetValue(resize) ?? 2 * cropSize;
            if (resizeTo < cropSize) throw new UsageException($"--resize ({resizeTo}) must be at least --crop ({cropSize}).");
            string folder = training.Folder;
            string checkpoint = Path.Combine(folder, "checkpoint.safetensors");
            training.RequireCheckpoint(checkpoint);
            var torchDevice = training.Device;
            var encoder = await EncoderChoice.LoadAsync(console, parse.GetValue(vgg), torchDevice, ct, VggPresets.Normalised);
            encoder = TrainingEncoder.Prepare(console, encoder, folder, training.Resume,
                parse.GetValue(contentDir)!, parse.GetValue(styleDir)!, cropSize, torchDevice);
            var layers = SANetLayers.For(encoder);
            var transform = new SANetTransform(layers);
            var decoder = new VggDecoder(layers.Shallow);
            transform.to(torchDevice);
            decoder.to(torchDevice);
            using var model = new SANetModel(encoder, transform, decoder);
            var data = new ImagePairDataset(parse.GetValue(contentDir)!.FullName, parse.GetValue(styleDir)!.FullName,
                new ImageFolderOptions(batchSize, resizeTo, cropSize, training.Seed), torchDevice);
            data.Warning += message => console.Error.WriteLine($"warning: {message}");
            using var loop = new TrainingLoop<ImagePair>(new SANetTraining(model), data,
                training.Loop(checkpoint));
            if (training.Resume) loop.Resume(checkpoint);
            console.Out.MarkupLine($"[grey]SANet at {layers} ({layers.Channels} channels), {data.Content.Files.Count} content and {data.Style.Files.Count} style images, " +
                $"batch {batchSize}, crop {cropSize} of {resizeTo}, from step {loop.Step}.[/]");

            string transformerPath = Path.Combine(folder, "transformer.safetensors"), decoderPath = Path.Combine(folder, "decoder.safetensors");
            try
            {
                await TrainingBar.RunAsync(console, "SANet", loop.Step, stepCount, progress => loop.Run(progress, ct), ct);
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
}
