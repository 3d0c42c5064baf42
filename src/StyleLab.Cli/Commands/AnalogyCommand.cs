using System.CommandLine;
using Spectre.Console;
using StyleLab.Data;
using StyleLab.Imaging;
using StyleLab.Methods.DeepAnalogy;
using StyleLab.Runtime;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab analogy</c>: Deep Image Analogy (Liao et al. 2017) between a photo A and a painting (or any image) B′.</summary>
public static class AnalogyCommand
{
    public static Command Create(CliConsole console)
    {
        // The paper's names, A and B′, rather than --content/--style: the analogy runs both ways (A′ and B).
        var a = new Option<string>("--a") { Description = "Image A: its structure is kept in A′ (a file or a sample name).", Required = true };
        var b = new Option<string>("--b") { Description = "Image B′: its appearance is given to A′ (a file or a sample name).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Folder for A′, B, the fields and report.html.", Required = true };
        var size = SizeOption.WithDefault("Longest side of both images, in pixels.", 224, minimum: 32);
        var force = OutputFiles.ForceOption();
        var levels = new Option<string?>("--levels") { Description = "Layers, deepest first, e.g. relu3_1,relu2_1,relu1_1 (default: all of relu5_1 … relu1_1 the weights reach)." };
        var iterations = new Option<int?>("--iterations") { Description = "PatchMatch iterations per level (default 10)." };
        var deconvolution = new Option<int?>("--deconvolution-iterations") { Description = "L-BFGS iterations per deconvolution (default 20)." };
        var vgg = GatysCommand.VggOption();
        var seed = new Option<long?>("--seed") { Description = "Seed of PatchMatch's random search." };
        var device = GlobalOptions.Device();

        var command = new Command("analogy", "Deep Image Analogy: A′ with A's layout in B′'s appearance, and B, through dense correspondences.")
        {
            a, b, output, force, size, levels, iterations, deconvolution, vgg, seed, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            string fileA = InferenceOptions.ResolveImage(parse.GetValue(a)!, SampleKind.Content, "--a");
            string fileB = InferenceOptions.ResolveImage(parse.GetValue(b)!, SampleKind.Style, "--b");
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            OutputFiles.Check([.. AnalogyReport.FileNames.Select(f => Path.Combine(folder, f))], parse.GetValue(force), fileA, fileB);
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            var load = new ImageLoadOptions { Size = Resize.LongestSide(parse.GetValue(size)) };
            using var imageA = ImageIO.Load(fileA, load, torchDevice);
            using var imageB = ImageIO.Load(fileB, load, torchDevice);
            using var encoder = await EncoderChoice.LoadAsync(console, parse.GetValue(vgg), torchDevice, ct);

            var options = DeepAnalogyOptions.For(encoder);
            options = options with
            {
                Levels = ParseLevels(parse.GetValue(levels), encoder, options) ?? options.Levels,
                PatchMatchIterations = Positive(parse.GetValue(iterations), "--iterations") ?? options.PatchMatchIterations,
                DeconvolutionIterations = parse.GetValue(deconvolution) is { } d and >= 0 ? d : options.DeconvolutionIterations,
                Seed = parse.GetValue(seed) ?? options.Seed,
            };

            DeepAnalogyResult? result = null;
            await console.Out.Status().StartAsync("encoding", async context =>
            {
                var progress = new StatusProgress(context);
                result = await Task.Run(() => DeepImageAnalogy.Run(encoder, imageA, imageB, options, progress, ct), ct);
            });
            using (result)
            {
                var files = AnalogyReport.Write(result!, imageA, imageB, folder);
                var total = TimeSpan.FromTicks(result!.Timings.Sum(t => t.Duration.Ticks));
                console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(Path.Combine(folder, "APrime.png"))}[/] and {files - 1} more files " +
                    $"(report: {Markup.Escape(Path.Combine(folder, "report.html"))}) in {total.TotalSeconds:F1} s: " +
                    string.Join(", ", result.TimeByStage.Select(kv => $"{kv.Key} {kv.Value.TotalSeconds:F1} s")) + ".");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    static int? Positive(int? value, string option) =>
        value is < 1 ? throw new UsageException($"{option} must be at least 1, not {value}.") : value;

    /// <summary>"relu3_1,relu2_1,relu1_1": the paper's settings for each named layer, deepest first.</summary>
    static IReadOnlyList<DeepAnalogyLevel>? ParseLevels(string? text, Encoders.Vgg19Encoder encoder, DeepAnalogyOptions defaults)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var levels = names.Select(name =>
        {
            try { encoder.Require(name); }
            catch (ArgumentException e) { throw new UsageException($"--levels: {e.Message.Split(" (Parameter")[0]}"); }
            return DeepAnalogyOptions.PaperLevels.FirstOrDefault(l => l.Layer == name)
                ?? throw new UsageException($"--levels: '{name}' is not one of the paper's levels (relu5_1, relu4_1, relu3_1, relu2_1, relu1_1).");
        }).ToList();
        if (!levels.Select(l => Encoders.VggLayers.Get(l.Layer).Index).SequenceEqual(levels.Select(l => Encoders.VggLayers.Get(l.Layer).Index).OrderDescending()))
            throw new UsageException("--levels must go from the deepest layer to the shallowest, e.g. relu3_1,relu2_1,relu1_1.");
        levels[0] = levels[0] with { SearchRadius = null };
        return levels;
    }

    sealed class StatusProgress(StatusContext context) : IProgress<DeepAnalogyProgress>
    {
        public void Report(DeepAnalogyProgress p) =>
            context.Status(p.Layer is null ? $"{p.Stage}" : $"level {p.Level + 1}/{p.LevelCount} {p.Layer}: {p.Stage}");
    }
}
