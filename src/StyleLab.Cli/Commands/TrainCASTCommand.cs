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
        var realistic = new Option<string>("--realistic-dir") { Description = "Photos (domain A, the content images).", Required = true };
        var artistic = new Option<string>("--artistic-dir") { Description = "Paintings (domain B, the styles).", Required = true };
        var steps = new Option<int>("--steps") { Description = "Training steps (each: D, MSP and generator updates).", DefaultValueFactory = _ => 2000 };
        var batch = new Option<int>("--batch") { Description = "Image pairs per step (official: 1).", DefaultValueFactory = _ => 1 };
        var crop = new Option<int>("--crop") { Description = "Crop size in pixels (official: 256, from images resized to 286).", DefaultValueFactory = _ => 256 };
        var queue = new Option<int>("--queue") { Description = "Negatives per MSP layer (official: 1024; a short run learns more with fewer).", DefaultValueFactory = _ => 1024 };
        var layers = new Option<string>("--layers") { Description = "MSP layers, comma-separated, 0…5 (official: 0).", DefaultValueFactory = _ => "0" };
        var mspInit = new Option<string>("--msp-init") { Description = "scratch (official N(0, 0.02) initialisation) or imagenet (the partial VGG's convolutions).", DefaultValueFactory = _ => "scratch" };
        var warmup = new Option<int>("--warmup") { Description = "First train this many of the steps' generator updates as reconstruction decoders (not in the paper; makes short runs draw images).", DefaultValueFactory = _ => 0 };
        var freshNegatives = new Option<bool>("--refresh-negatives") { Description = "Re-encode the queue's painting crops with the current MSP every step instead of keeping their old codes (not in the paper; stops short runs collapsing every painting to one code)." };
        var normalise = new Option<bool>("--normalise-vgg") { Description = "Mean-activation normalise the VGG over up to 16 training images first (not in the paper; features near 1 instead of Caffe-scale hundreds)." };
        var vgg = new Option<string?>("--vgg") { Description = "The partial ImageNet VGG-19 (default: vgg19-caffe-partial from the weights folders)." };
        var output = new Option<string>("--out", "-o") { Description = "Folder for checkpoint.safetensors and the latest_net_*.safetensors files.", DefaultValueFactory = _ => "cast-run" };
        var resume = new Option<bool>("--resume") { Description = "Continue from <out>/checkpoint.safetensors." };
        var every = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seeds weights, data order and augmentation.", DefaultValueFactory = _ => 0 };
        var device = GlobalOptions.Device();

        var command = new Command("cast", "Train CAST (contrastive arbitrary style transfer, Zhang et al. 2022) on photos and paintings.")
        {
            realistic, artistic, steps, batch, crop, queue, layers, mspInit, warmup, freshNegatives, normalise, vgg, output, resume, every, seed, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            int batchSize = parse.GetValue(batch), queueSize = parse.GetValue(queue), cropSize = parse.GetValue(crop);
            if (batchSize < 1 || parse.GetValue(steps) < 1 || cropSize < 32) throw new UsageException("--batch and --steps must be at least 1, --crop at least 32.");
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
            string folder = parse.GetValue(output)!;
            string checkpoint = Path.Combine(folder, "checkpoint.safetensors");
            Directory.CreateDirectory(folder);

            if (parse.GetValue(warmup) is var w && (w < 0 || w >= parse.GetValue(steps)))
                throw new UsageException($"--warmup must be at least 0 and below --steps ({parse.GetValue(steps)}).");
            var options = new CastOptions(NceLayers: nceLayers, QueueSize: queueSize, WarmupSteps: parse.GetValue(warmup), RefreshNegatives: parse.GetValue(freshNegatives));
            var data = new ImagePairDataset(parse.GetValue(realistic)!, parse.GetValue(artistic)!,
                new ImageFolderOptions(batchSize, ResizeTo: cropSize * 286 / 256, CropSize: cropSize, Seed: parse.GetValue(seed)), torchDevice);
            data.Warning += m => console.Error.WriteLine($"warning: {m}");
            // Half photos, half paintings: the encoder sees both domains.
            var sample = parse.GetValue(normalise) ? data.Content.Files.Take(8).Concat(data.Style.Files.Take(8)).ToList() : null;
            using var training = CastTraining.Offline(vggPath, options, imagenet, parse.GetValue(seed), torchDevice,
                sample is null ? null : NormalisationImages(sample, cropSize, torchDevice));
            using var loop = new TrainingLoop<ImagePair>(training, data,
                new TrainingOptions(parse.GetValue(steps), CheckpointEvery: parse.GetValue(every), CheckpointPath: checkpoint, LogEvery: 1, Seed: parse.GetValue(seed)));
            if (parse.GetValue(resume))
            {
                if (!File.Exists(checkpoint)) throw new UsageException($"--resume: no checkpoint at '{checkpoint}'.");
                loop.Resume(checkpoint);
                console.Out.MarkupLine($"[grey]Resumed at step {loop.Step} from {Markup.Escape(checkpoint)}[/]");
            }
            console.Out.MarkupLine($"[grey]CAST offline variant: generator at {training.Generator.Layer} on {Markup.Escape(vggPath)}, MSP layers {string.Join(",", nceLayers)} ({parse.GetValue(mspInit)}), queue {queueSize}{(options.RefreshNegatives ? " (re-encoded every step)" : "")}, batch {batchSize}, crop {cropSize}" +
                (options.WarmupSteps > 0 ? $", the first {options.WarmupSteps} steps reconstructing" : "") + (sample is not null ? $", VGG normalised over {sample.Count} images" : "") + "[/]");

            await console.Out.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("training", maxValue: parse.GetValue(steps));
                    task.Value = loop.Step;
                    var progress = new SynchronousProgress<TrainingReport>(r =>
                    {
                        task.Value = r.Step;
                        task.Description = $"step {r.Step} · D {r.Losses["D/total"]:F3} · MSP nce {r.Losses["P/nce"]:F3} · " +
                            (r.Losses.TryGetValue("G/total", out var g) ? $"G {g:F3} (cycle {r.Losses["G/cycle"]:F3})"
                                : $"warm-up: reconstruction {r.Losses["warm-up/rec_A"]:F3}, {r.Losses["warm-up/rec_B"]:F3}");
                        // Redirected output gets no live bar: a line every tenth of the run instead (a log).
                        if (!console.Out.Profile.Capabilities.Interactive && (r.Step % Math.Max(1, r.Steps / 10) == 0 || r.Step == r.Steps))
                            console.Out.WriteLine($"{task.Description} · {r.SecondsPerStep:F2} s/step");
                    });
                    await Task.Run(() => loop.Run(progress, ct), ct);
                });
            training.SaveOfficial(folder);
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

    /// <summary>Reports on the training thread (Progress&lt;T&gt; would post to a thread pool and reorder).</summary>
    sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
