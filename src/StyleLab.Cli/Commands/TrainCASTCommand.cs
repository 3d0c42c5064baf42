using System.CommandLine;
using Spectre.Console;
using StyleLab.Imaging;
using StyleLab.Methods.CAST;
using StyleLab.Runtime;
using StyleLab.Training;
using StyleLab.Weights;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab train cast</c>: CAST's three-optimiser training (discriminators, MSP, generator) on a
/// folder of photos and a folder of paintings, in StyleLab's offline variant (relu3_1 generator on the
/// partial ImageNet VGG), with a progress bar, checkpoints and bit-exact resumption.
/// </summary>
public static class TrainCASTCommand
{
    public static Command Create(CliConsole console)
    {
        // --content-dir/--style-dir as every train command names them; the paper's domain names stay as aliases.
        var realistic = new Option<string>("--content-dir", "--realistic-dir") { Description = "Photos (domain A, the content images).", Required = true };
        var artistic = new Option<string>("--style-dir", "--artistic-dir") { Description = "Paintings (domain B, the styles).", Required = true };
        // Each step: D, MSP and generator updates, each with the official learning rate of its optimiser (no --lr).
        var run = new TrainingRunOptions(new TrainingDefaults(Steps: 2000, Batch: 1, LearningRate: null, Out: "cast-run", CheckpointEvery: 100));
        var crop = new Option<int>("--crop") { Description = "Crop size in pixels (official: 256, from images resized to 286).", DefaultValueFactory = _ => 256 };
        var queue = new Option<int>("--queue") { Description = "Negatives per MSP layer (official: 1024; a short run learns more with fewer).", DefaultValueFactory = _ => 1024 };
        var layers = new Option<string>("--layers") { Description = "MSP layers, comma-separated, 0…5 (official: 0).", DefaultValueFactory = _ => "0" };
        var mspInit = new Option<string>("--msp-init") { Description = "scratch (official N(0, 0.02) initialisation) or imagenet (the partial VGG's convolutions).", DefaultValueFactory = _ => "scratch" };
        var warmup = new Option<int>("--warmup") { Description = "First train this many of the steps' generator updates as reconstruction decoders (not in the paper; makes short runs draw images).", DefaultValueFactory = _ => 0 };
        var freshNegatives = new Option<bool>("--refresh-negatives") { Description = "Re-encode the queue's painting crops with the current MSP every step instead of keeping their old codes (not in the paper; stops short runs collapsing every painting to one code)." };
        var normalise = new Option<bool>("--normalise-vgg") { Description = "Mean-activation normalise the VGG over up to 16 training images first (not in the paper; features near 1 instead of Caffe-scale hundreds)." };
        var vgg = new Option<string?>("--vgg") { Description = "The partial ImageNet VGG-19 (default: vgg19-caffe-partial from the weights folders)." };

        var command = new Command("cast", "Train CAST (contrastive arbitrary style transfer, Zhang et al. 2022) on photos and paintings.")
        {
            realistic, artistic, crop, queue, layers, mspInit, warmup, freshNegatives, normalise, vgg,
        };
        run.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var training = run.Bind(parse);
            var torchDevice = training.Device;
            int batchSize = training.Batch, queueSize = parse.GetValue(queue), cropSize = parse.GetValue(crop), stepCount = training.Steps;
            if (cropSize < 32) throw new UsageException($"--crop must be at least 32, not {cropSize}.");
            if (queueSize % batchSize != 0) throw new UsageException($"--queue ({queueSize}) must be a multiple of --batch ({batchSize}), as in the official code.");
            int[] nceLayers;
            try { nceLayers = parse.GetValue(layers)!.Split(',').Select(int.Parse).ToArray(); }
            catch (FormatException) { throw new UsageException($"--layers: '{parse.GetValue(layers)}' is not a comma-separated list of 0…5."); }
            if (nceLayers.Any(l => l is < 0 or > 5)) throw new UsageException("--layers: MSP layers are 0…5.");
            bool imagenet = parse.GetValue(mspInit) switch
            {
                "scratch" => false,
                "imagenet" => true,
                var other => throw new UsageException($"--msp-init: '{other}' is neither scratch nor imagenet."),
            };
            string vggPath = parse.GetValue(vgg) ?? LocatePartialVgg();
            foreach (var dir in new[] { parse.GetValue(realistic)!, parse.GetValue(artistic)! })
                if (!Directory.Exists(dir)) throw new UsageException($"'{dir}' is not a folder.");
            string folder = training.Folder;
            string checkpoint = Path.Combine(folder, "checkpoint.safetensors");
            training.RequireCheckpoint(checkpoint);

            if (parse.GetValue(warmup) is var w && (w < 0 || w >= stepCount))
                throw new UsageException($"--warmup must be at least 0 and below --steps ({stepCount}).");
            var options = new CastOptions(NceLayers: nceLayers, QueueSize: queueSize, WarmupSteps: parse.GetValue(warmup), RefreshNegatives: parse.GetValue(freshNegatives));
            var data = new ImagePairDataset(parse.GetValue(realistic)!, parse.GetValue(artistic)!,
                new ImageFolderOptions(batchSize, ResizeTo: cropSize * 286 / 256, CropSize: cropSize, Seed: training.Seed), torchDevice);
            data.Warning += m => console.Error.WriteLine($"warning: {m}");
            // Half photos, half paintings: the encoder sees both domains.
            var sample = parse.GetValue(normalise) ? data.Content.Files.Take(8).Concat(data.Style.Files.Take(8)).ToList() : null;
            using var cast = CastTraining.Offline(vggPath, options, imagenet, training.Seed, torchDevice,
                sample is null ? null : NormalisationImages(sample, cropSize, torchDevice));
            using var loop = new TrainingLoop<ImagePair>(cast, data, training.Loop(checkpoint));
            if (training.Resume)
            {
                loop.Resume(checkpoint);
                console.Out.MarkupLine($"[grey]Resumed at step {loop.Step} from {Markup.Escape(checkpoint)}[/]");
            }
            console.Out.MarkupLine($"[grey]CAST offline variant: generator at {cast.Generator.Layer} on {Markup.Escape(vggPath)}, MSP layers {string.Join(",", nceLayers)} ({parse.GetValue(mspInit)}), queue {queueSize}{(options.RefreshNegatives ? " (re-encoded every step)" : "")}, batch {batchSize}, crop {cropSize}" +
                (options.WarmupSteps > 0 ? $", the first {options.WarmupSteps} steps reconstructing" : "") + (sample is not null ? $", VGG normalised over {sample.Count} images" : "") + "[/]");

            await TrainingBar.RunAsync(console, "CAST", loop.Step, stepCount, progress => loop.Run(progress, ct), ct);
            cast.SaveOfficial(folder);
            var last = loop.History.Last;
            console.Out.MarkupLine($"Trained {loop.Step} steps; wrote [bold]{Markup.Escape(Path.GetFullPath(folder))}[/] (latest_net_AE/Dec_A/Dec_B/D/P_style/D_A/D_B.safetensors, checkpoint.safetensors). " +
                $"Last losses: D {last["D/total"]:F3}, MSP nce {last["P/nce"]:F3}, " +
                (last.TryGetValue("G/total", out var lastG) ? $"G {lastG:F3}." : $"warm-up {last["warm-up/total"]:F3}."));
            console.Out.MarkupLine($"Stylise with: [bold]stylelab cast --model {Markup.Escape(folder)} -c PHOTO -s PAINTING -o OUT.png[/]");
            return ExitCodes.Success;
        });
        return command;
    }

    static IEnumerable<TorchSharp.torch.Tensor> NormalisationImages(IEnumerable<string> files, int size, TorchSharp.torch.Device device)
    {
        foreach (var file in files)
        {
            TorchSharp.torch.Tensor image;
            try { image = ImageIO.Load(file, new ImageLoadOptions { Size = Resize.LongestSide(size) }, device); }
            catch (ImageFileException) { continue; }
            using (image) yield return image;
        }
    }

    static string LocatePartialVgg()
    {
        using var resolver = new WeightResolver();
        return resolver.Locate("vgg19-caffe-partial")?.Path
            ?? throw new UsageException("CAST's offline variant trains on the partial ImageNet VGG-19 (vgg19-caffe-partial): give --vgg FILE or set STYLELAB_WEIGHTS to a folder holding it.");
    }
}
