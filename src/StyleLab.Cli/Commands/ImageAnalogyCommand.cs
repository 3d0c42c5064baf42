using System.CommandLine;
using Spectre.Console;
using StyleLab.Imaging;
using StyleLab.Methods.DeepAnalogy;
using StyleLab.Methods.ImageAnalogies;
using StyleLab.Runtime;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab image-analogy</c>: Image Analogies (Hertzmann et al. 2001) — learn the filter A → A′ and apply it to B.</summary>
public static class ImageAnalogyCommand
{
    public static Command Create(CliConsole console)
    {
        var a = new Option<FileInfo>("--a") { Description = "Image A, before the filter (e.g. a photo, or a label map for texture-by-numbers).", Required = true };
        var aPrime = new Option<FileInfo>("--a-prime") { Description = "Image A′: A after the filter (e.g. the photo painted, or the texture).", Required = true };
        var b = new Option<FileInfo>("--b") { Description = "Image B to apply the filter to.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "B′ (.png or .jpg).", Required = true };
        var size = SizeOption.WithDefault("Longest side of A, A′ and B, in pixels.", 256);
        var force = OutputFiles.ForceOption();
        var kappa = new Option<float?>("--kappa") { Description = "κ: how strongly coherent matches are preferred (default 2; larger for texture-by-numbers)." };
        var levels = new Option<int?>("--levels") { Description = "Gaussian pyramid levels (default: down to ~24 pixels)." };
        var passes = new Option<int?>("--passes") { Description = "Synthesis passes per level (default 3)." };
        var colour = new Option<bool>("--color-of-a-prime") { Description = "Copy A′'s colours (texture-by-numbers) instead of keeping B's chrominance." };
        var noRemap = new Option<bool>("--no-remap") { Description = "Do not remap A's luminance to B's statistics (e.g. for label maps)." };
        var sourceMap = new Option<string?>("--source-map") { Description = "Also write which A′ pixel each B′ pixel came from, coloured by NnfColorMap." };
        var seed = new Option<long?>("--seed") { Description = "Seed of PatchMatch's random search." };
        var device = GlobalOptions.Device();
        a.AcceptExistingOnly();
        aPrime.AcceptExistingOnly();
        b.AcceptExistingOnly();

        var command = new Command("image-analogy", "Image Analogies: B′ such that A : A′ :: B : B′, by coarse-to-fine neighbourhood matching (Hertzmann et al. 2001).")
        {
            a, aPrime, b, output, force, size, kappa, levels, passes, colour, noRemap, sourceMap, seed, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            int pixels = parse.GetValue(size);
            var inputs = new[] { parse.GetValue(a)!.FullName, parse.GetValue(aPrime)!.FullName, parse.GetValue(b)!.FullName };
            OutputFiles.Check([parse.GetValue(output)!, .. parse.GetValue(sourceMap) is { } map ? [map] : Array.Empty<string>()], parse.GetValue(force), inputs);
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            var load = new ImageLoadOptions { Size = Resize.LongestSide(pixels) };
            using var imageA = ImageIO.Load(parse.GetValue(a)!.FullName, load, torchDevice);
            using var imageAPrime = ImageIO.Load(parse.GetValue(aPrime)!.FullName, new ImageLoadOptions
            {
                Size = Resize.Exact((int)imageA.shape[3], (int)imageA.shape[2]),
            }, torchDevice);
            using var imageB = ImageIO.Load(parse.GetValue(b)!.FullName, load, torchDevice);
            var defaults = new ImageAnalogyOptions();
            var options = defaults with
            {
                Kappa = parse.GetValue(kappa) ?? defaults.Kappa,
                Levels = parse.GetValue(levels),
                PassesPerLevel = parse.GetValue(passes) ?? defaults.PassesPerLevel,
                Color = parse.GetValue(colour) ? AnalogyColor.ColorOfAPrime : AnalogyColor.ChrominanceOfB,
                RemapLuminance = !parse.GetValue(noRemap),
                Seed = parse.GetValue(seed) ?? defaults.Seed,
            };

            ImageAnalogyResult? result = null;
            await console.Out.Status().StartAsync("synthesising", async context =>
            {
                var progress = new Progress<ImageAnalogyProgress>(p =>
                    context.Status($"level {p.Level + 1}/{p.Levels}, pass {p.Pass}/{p.Passes}"));
                result = await Task.Run(() =>
                {
                    try { return ImageAnalogy.Run(imageA, imageAPrime, imageB, options, progress, ct); }
                    catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
                }, ct);
            });
            using (result)
            {
                string path = Path.GetFullPath(parse.GetValue(output)!);
                ImageIO.Save(result!.BPrime, path);
                if (parse.GetValue(sourceMap) is { } mapPath)
                {
                    using var colours = NnfColorMap.Coordinates(result.Source);
                    ImageIO.Save(colours, Path.GetFullPath(mapPath));
                }
                console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/] in {result.Elapsed.TotalSeconds:F1} s; coherence matches per level " +
                    $"(coarse → fine): {string.Join(", ", result.CoherentFraction.Select(f => $"{f:P0}"))}.");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
