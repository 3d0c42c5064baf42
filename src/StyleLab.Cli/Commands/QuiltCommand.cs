using System.CommandLine;
using Spectre.Console;
using StyleLab.Imaging;
using StyleLab.Methods.DeepAnalogy;
using StyleLab.Methods.ImageQuilting;
using StyleLab.Runtime;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab quilt</c>: Image Quilting (Efros &amp; Freeman 2001) — texture synthesis, or texture transfer onto a target.</summary>
public static class QuiltCommand
{
    public static Command Create(CliConsole console)
    {
        var texture = new Option<FileInfo>("--texture", "-t") { Description = "The sample texture (or painting) the blocks come from.", Required = true };
        var target = new Option<FileInfo?>("--target", "-c") { Description = "A photo to render with the texture (texture transfer, §3). Without it the texture is synthesised (§2)." };
        var output = new Option<string>("--output", "-o") { Description = "The result (.png or .jpg).", Required = true };
        var size = SizeOption.WithDefault("Longest side of texture and target, in pixels.", 256);
        var width = SizeOption.Optional("Synthesis only: output width (default twice the texture's).", "--width");
        var height = SizeOption.Optional("Synthesis only: output height (default twice the texture's).", "--height");
        var force = OutputFiles.ForceOption();
        var block = new Option<int?>("--block") { Description = "Block side B in pixels (default 32; shrinks by a third each transfer pass)." };
        var overlap = new Option<int?>("--overlap") { Description = "Overlap in pixels (default B/6)." };
        var tolerance = new Option<float?>("--tolerance") { Description = "ε: candidates within (1 + ε) of the best error (default 0.1)." };
        var iterations = new Option<int?>("--iterations") { Description = "Transfer passes N (default 3)." };
        var alpha = new Option<float?>("--alpha") { Description = "A fixed α for every pass instead of 0.8·(i−1)/(N−1)+0.1 (1 = ignore the target)." };
        var blur = new Option<double?>("--blur") { Description = "Match the target's luminance blurred by this σ in pixels (default: plain luminance)." };
        var sourceMap = new Option<string?>("--source-map") { Description = "Also write which texture pixel each output pixel came from, coloured by NnfColorMap." };
        var seed = new Option<long?>("--seed") { Description = "Seed of the random choice among candidate blocks." };
        var device = GlobalOptions.Device();
        texture.AcceptExistingOnly();
        target.AcceptExistingOnly();

        var command = new Command("quilt", "Image Quilting: texture synthesis and texture transfer by stitching blocks along minimum-error cuts (Efros & Freeman 2001).")
        {
            texture, target, output, force, size, width, height, block, overlap, tolerance, iterations, alpha, blur, sourceMap, seed, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            int pixels = parse.GetValue(size);
            OutputFiles.Check([parse.GetValue(output)!, .. parse.GetValue(sourceMap) is { } map ? [map] : Array.Empty<string>()], parse.GetValue(force),
                parse.GetValue(texture)!.FullName, parse.GetValue(target)?.FullName);
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            var load = new ImageLoadOptions { Size = Resize.LongestSide(pixels) };
            var defaults = new ImageQuiltingOptions();
            var options = defaults with
            {
                BlockSize = parse.GetValue(block) ?? defaults.BlockSize,
                Overlap = parse.GetValue(overlap),
                Tolerance = parse.GetValue(tolerance) ?? defaults.Tolerance,
                Iterations = parse.GetValue(iterations) ?? defaults.Iterations,
                Alpha = parse.GetValue(alpha),
                Correspondence = parse.GetValue(blur) is null ? CorrespondenceQuantity.Luminance : CorrespondenceQuantity.BlurredLuminance,
                CorrespondenceBlurSigma = parse.GetValue(blur) ?? defaults.CorrespondenceBlurSigma,
                Seed = parse.GetValue(seed) ?? defaults.Seed,
            };
            using var sample = ImageIO.Load(parse.GetValue(texture)!.FullName, load, torchDevice);
            var targetFile = parse.GetValue(target);
            using var goal = targetFile is null ? null : ImageIO.Load(targetFile.FullName, load, torchDevice);

            QuiltingResult? result = null;
            await console.Out.Status().StartAsync("quilting", async context =>
            {
                var progress = new Progress<QuiltingProgress>(p =>
                    context.Status($"pass {p.Iteration}/{p.Iterations}: block {p.Block}/{p.Blocks} ({p.BlockSize} px)"));
                result = await Task.Run(() =>
                {
                    try
                    {
                        return goal is null
                            ? Quilting.Synthesize(sample, parse.GetValue(height) ?? 2 * (int)sample.shape[2],
                                parse.GetValue(width) ?? 2 * (int)sample.shape[3], options, progress, ct)
                            : Quilting.Transfer(goal, sample, options, progress, ct);
                    }
                    catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
                }, ct);
            });
            using (result)
            {
                string path = Path.GetFullPath(parse.GetValue(output)!);
                ImageIO.Save(result!.Image, path);
                if (parse.GetValue(sourceMap) is { } mapPath)
                {
                    using var colours = NnfColorMap.Coordinates(result.Source);
                    ImageIO.Save(colours, Path.GetFullPath(mapPath));
                }
                console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/] ({result.Image.shape[3]}×{result.Image.shape[2]}, " +
                    $"{result.Blocks.Count} blocks) in {result.Elapsed.TotalSeconds:F1} s.");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
