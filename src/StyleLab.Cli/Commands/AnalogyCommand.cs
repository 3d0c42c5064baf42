using System.CommandLine;
using Spectre.Console;
using StyleLab.Imaging;
using StyleLab.Methods.DeepAnalogy;
using StyleLab.Runtime;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab analogy</c>: Deep Image Analogy (Liao et al. 2017) between a photo A and a painting (or any image) B′.</summary>
public static class AnalogyCommand
{
    public static Command Create(CliConsole console)
    {
        var a = new Option<FileInfo>("--a") { Description = "Image A: its structure is kept in A′.", Required = true };
        var b = new Option<FileInfo>("--b") { Description = "Image B′: its appearance is given to A′.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Folder for A′, B, the fields and report.html.", Required = true };
        var size = new Option<int>("--size") { Description = "Longest side of both images, in pixels.", DefaultValueFactory = _ => 224 };
        var levels = new Option<string?>("--levels") { Description = "Layers, deepest first, e.g. relu3_1,relu2_1,relu1_1 (default: all of relu5_1 … relu1_1 the weights reach)." };
        var iterations = new Option<int?>("--iterations") { Description = "PatchMatch iterations per level (default 10)." };
        var deconvolution = new Option<int?>("--deconvolution-iterations") { Description = "L-BFGS iterations per deconvolution (default 20)." };
        var weights = new Option<string?>("--weights") { Description = "VGG-19 weights: a registry id or a file path. Default: the best found." };
        var seed = new Option<long?>("--seed") { Description = "Seed of PatchMatch's random search." };
        var device = GlobalOptions.Device();
        a.AcceptExistingOnly();
        b.AcceptExistingOnly();

        var command = new Command("analogy", "Deep Image Analogy: A′ with A's layout in B′'s appearance, and B, through dense correspondences.")
        {
            a, b, output, size, levels, iterations, deconvolution, weights, seed, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            int pixels = parse.GetValue(size);
            if (pixels < 32) throw new UsageException($"--size must be at least 32 pixels, not {pixels}.");
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            var load = new ImageLoadOptions { Size = Resize.LongestSide(pixels) };
            using var imageA = ImageIO.Load(parse.GetValue(a)!.FullName, load, torchDevice);
            using var imageB = ImageIO.Load(parse.GetValue(b)!.FullName, load, torchDevice);
            using var encoder = await EncoderChoice.LoadAsync(console, parse.GetValue(weights), torchDevice, ct);

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
                string folder = Path.GetFullPath(parse.GetValue(output)!);
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
