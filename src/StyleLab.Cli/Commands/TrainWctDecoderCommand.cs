using System.CommandLine;
using Spectre.Console;
using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods.WCT;
using StyleLab.Runtime;
using StyleLab.Training;
using TorchSharp;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab train wct-decoder</c>: trains the decoder that inverts VGG-19 at relu{k}_1 by image and
/// feature reconstruction (Li et al. 2017, §3), and exports it where <c>stylelab wct --decoders</c> finds it.
/// </summary>
public static class TrainWctDecoderCommand
{
    public static Command Create(CliConsole console)
    {
        var level = new Option<int>("--level", "-k") { Description = "The decoder's level k: it inverts relu{k}_1 (1 … 5).", Required = true };
        var contentDir = new Option<DirectoryInfo>("--content-dir") { Description = "Folder of training images (searched recursively).", Required = true };
        var run = new TrainingRunOptions(new TrainingDefaults(Steps: 5000, Batch: 8, LearningRate: 1e-4, Out: "wct-decoders", CheckpointEvery: 500));
        var crop = new Option<int>("--crop") { Description = "Side of the random square crops, in pixels.", DefaultValueFactory = _ => 256 };
        var resize = new Option<int?>("--resize") { Description = "Smaller side each image is scaled to before cropping (default: 2 × --crop)." };
        var featureWeight = new Option<double>("--feature-weight") { Description = "λ, the weight of the feature reconstruction loss (paper: 1).", DefaultValueFactory = _ => 1.0 };
        var vgg = new Option<string?>("--vgg") { Description = "VGG-19 weights to invert: a registry id or a file. Default: the best found." };
        contentDir.AcceptExistingOnly();

        var command = new Command("wct-decoder", "Train a WCT decoder for relu{k}_1 by reconstruction (pixel + λ·feature loss).")
        {
            level, contentDir, crop, resize, featureWeight, vgg,
        };
        run.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            int k = parse.GetValue(level);
            if (k is < 1 or > 5) throw new UsageException($"--level must be 1 … 5, not {k}.");
            int cropSize = parse.GetValue(crop);
            int resizeTo = parse.GetValue(resize) ?? 2 * cropSize;
            if (cropSize < 16 || resizeTo < cropSize) throw new UsageException($"--crop must be at least 16 and --resize at least --crop (got {cropSize}, {resizeTo}).");
            var training = run.Bind(parse);
            string layer = $"relu{k}_1";
            string folder = training.Folder;
            string exported = Path.Combine(folder, WctDecoderFiles.FileName(layer));
            string checkpoint = Path.Combine(folder, $"wct-decoder-{layer}.checkpoint.safetensors");
            bool resuming = training.Resume;
            training.RequireCheckpoint(checkpoint);
            var torchDevice = training.Device;

            using var imagenet = await EncoderChoice.LoadAsync(console, parse.GetValue(vgg), torchDevice, ct, VggPresets.Normalised);
            try { imagenet.Require(layer); }
            catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
            var data = new ImageFolderDataset(parse.GetValue(contentDir)!.FullName,
                new ImageFolderOptions(training.Batch, resizeTo, cropSize, training.Seed), torchDevice);
            data.Warning += message => console.Error.WriteLine($"warning: {message}");
            // The decoders invert the normalised encoder (features ≈ 1, as the official vgg_normalised's).
            var encoder = WctDecoderFiles.EncoderFor(folder, imagenet, () => NormalisationImages(data, torchDevice), out bool created);
            using var ownEncoder = ReferenceEquals(encoder, imagenet) ? null : encoder;
            if (created) console.Out.MarkupLine($"[grey]Normalised the VGG-19 over {Math.Min(16, data.Files.Count)} images (mean activation 1 per filter): {Markup.Escape(Path.GetFullPath(Path.Combine(folder, WctDecoderFiles.EncoderFileName)))}[/]");
            else if (ownEncoder is not null) console.Out.MarkupLine($"[grey]Encoder: {Markup.Escape(Path.GetFullPath(Path.Combine(folder, WctDecoderFiles.EncoderFileName)))} (the one the folder's other decoders use)[/]");
            using var decoder = new VggDecoder(layer);
            decoder.to(torchDevice);
            var model = new WctDecoderTraining(decoder, encoder, parse.GetValue(featureWeight));
            var options = training.Loop(checkpoint);
            using var loop = new TrainingLoop(model, data, options);
            if (resuming) loop.Resume(checkpoint);
            console.Out.MarkupLine($"[grey]Decoder for {layer}: {data.Files.Count} images, crops {cropSize}² of {resizeTo} px, batch {data.Options.BatchSize}, " +
                $"lr {options.LearningRate:G3}{(resuming ? $", resuming at step {loop.Step}" : "")}[/]");

            try
            {
                await TrainingBar.RunAsync(console, $"decoder {layer}", loop.Step, options.Steps, progress => loop.Run(progress, ct), ct);
            }
            catch (OperationCanceledException)
            {
                console.Error.WriteLine($"Stopped at step {loop.Step}; checkpoint '{Path.GetFullPath(checkpoint)}' written (continue with --resume).");
                throw;
            }
            WctDecoderFiles.Save(decoder, exported);
            var last = loop.History.Series("total").Select(p => p.Value).ToList();
            console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(exported))}[/]: loss {last[0]:G4} → {last[^1]:G4} in {loop.Step} steps.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Up to 16 of the training images at 256 px, for the mean activations.</summary>
    static IEnumerable<TorchSharp.torch.Tensor> NormalisationImages(ImageFolderDataset data, TorchSharp.torch.Device device)
    {
        foreach (var file in data.Files.Take(16))
        {
            TorchSharp.torch.Tensor image;
            try { image = StyleLab.Imaging.ImageIO.Load(file, new StyleLab.Imaging.ImageLoadOptions { Size = StyleLab.Imaging.Resize.LongestSide(256) }, device); }
            catch (StyleLab.Imaging.ImageFileException) { continue; }
            using (image) yield return image;
        }
    }
}
