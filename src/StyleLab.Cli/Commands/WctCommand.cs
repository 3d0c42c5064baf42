using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.WCT;
using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab wct</c>: universal style transfer by whitening and colouring (Li et al. 2017).</summary>
public static class WctCommand
{
    public static Command Create(CliConsole console)
    {
        var content = new Option<FileInfo>("--content", "-c") { Description = "The photo to stylise.", Required = true };
        var style = new Option<FileInfo>("--style", "-s") { Description = "The painting whose style to use.", Required = true };
        var style2 = new Option<FileInfo?>("--style2") { Description = "A second style: interpolated with --weights, or the background style with --mask." };
        var weights = new Option<string?>("--weights") { Description = "Interpolation weights of the styles, e.g. 0.7,0.3 (normalised to sum 1)." };
        var mask = new Option<FileInfo?>("--mask") { Description = "Spatial control: white pixels take --style, the others --style2 (or keep the content)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the result (.png or .jpg).", Required = true };
        var alpha = new Option<double?>("--alpha") { Description = "Style strength α in [0,1] at every level (default 0.6, the official code's)." };
        var levels = new Option<string?>("--levels") { Description = "Levels to stylise at, coarse to fine: 1,2,3 (relu1_1, relu2_1, relu3_1) or relu names. Default: every level with a decoder that the VGG reaches." };
        var preserve = new Option<bool>("--preserve-color") { Description = "Keep the photo's colours (the style is recoloured to them first)." };
        var decoders = new Option<string>("--decoders") { Description = "Folder of decoders (wct-decoder-relu{k}_1.safetensors or the converted official feature_invertor_conv{k}_1.pth).", DefaultValueFactory = _ => "wct-decoders" };
        var vgg = new Option<string?>("--vgg") { Description = "VGG-19 weights the decoders were trained with: a registry id or a file (e.g. vgg_normalised.pth). Default: the best found." };
        var size = new Option<int>("--size") { Description = "Longest side of the content and style images, in pixels.", DefaultValueFactory = _ => 512 };
        var device = GlobalOptions.Device();
        content.AcceptExistingOnly();
        style.AcceptExistingOnly();
        style2.AcceptExistingOnly();
        mask.AcceptExistingOnly();

        var command = new Command("wct", "Universal style transfer via feature transforms: whitening and colouring, coarse to fine (Li et al. 2017).")
        {
            content, style, style2, weights, mask, output, alpha, levels, preserve, decoders, vgg, size, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            int pixels = parse.GetValue(size);
            if (pixels < 16) throw new UsageException($"--size must be at least 16 pixels, not {pixels}.");
            double? strength = parse.GetValue(alpha);
            if (strength is < 0 or > 1) throw new UsageException($"--alpha must lie in [0,1], not {strength}.");
            var secondStyle = parse.GetValue(style2);
            var mixing = ParseWeights(parse.GetValue(weights));
            var maskFile = parse.GetValue(mask);
            int styleCount = secondStyle is null ? 1 : 2;
            if (mixing is not null && mixing.Count != styleCount)
                throw new UsageException($"--weights gives {mixing.Count} weights for {styleCount} style(s).");
            if (mixing is not null && maskFile is not null)
                throw new UsageException("--weights and --mask do not combine: a mask gives each style its own region.");
            var levelList = ParseLevels(parse.GetValue(levels));
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));

            var load = new ImageLoadOptions { Size = Resize.LongestSide(pixels) };
            using var contentImage = ImageIO.Load(parse.GetValue(content)!.FullName, load, torchDevice);
            var styleImages = new List<Tensor> { ImageIO.Load(parse.GetValue(style)!.FullName, load, torchDevice) };
            if (secondStyle is not null) styleImages.Add(ImageIO.Load(secondStyle.FullName, load, torchDevice));
            Tensor? regions = null;
            try
            {
                if (maskFile is not null)
                {
                    var size2d = new ImageLoadOptions { Size = Resize.Exact((int)contentImage.shape[3], (int)contentImage.shape[2]) };
                    using var maskImage = ImageIO.Load(maskFile.FullName, size2d, torchDevice);
                    using var split = WctRegions.FromMask(maskImage);
                    // One style and a mask: the style inside, the photo untouched outside.
                    regions = styleCount == 2 ? split.alias() : where(split == 0, 0L, -1L);
                }
                string folder = parse.GetValue(decoders)!;
                var loaded = WctDecoderFiles.LoadAll(folder, torchDevice);
                // Decoders trained by `stylelab train wct-decoder` on ImageNet weights invert the normalised copy saved beside them.
                string saved = Path.Combine(folder, WctDecoderFiles.EncoderFileName);
                var encoder = parse.GetValue(vgg) is null && File.Exists(saved)
                    ? Vgg19Encoder.Load(saved, VggPresets.Normalised, device: torchDevice)
                    : await EncoderChoice.LoadAsync(console, parse.GetValue(vgg), torchDevice, ct, VggPresets.Normalised);
                using var pipeline = new UniversalStyleTransfer(encoder, loaded, ownsModels: true);
                var options = pipeline.DefaultOptions;
                options = options with
                {
                    Alpha = strength ?? options.Alpha,
                    Levels = levelList ?? options.Levels,
                    PreserveColor = parse.GetValue(preserve),
                };
                console.Out.MarkupLine($"[grey]WCT at {string.Join(" → ", options.CoarseToFine)}, α = {options.Alpha:G3}, decoders from {Markup.Escape(Path.GetFullPath(folder))}[/]");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                using var result = await Task.Run(() => pipeline.Stylize(contentImage, styleImages, options, mixing, regions, cancellationToken: ct), ct);
                string path = parse.GetValue(output)!;
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                ImageIO.Save(result.Image, path);
                console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(path))}[/] ({result.Image.shape[3]}×{result.Image.shape[2]}) in {clock.Elapsed.TotalSeconds:F1} s.");
            }
            catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
            finally
            {
                regions?.Dispose();
                foreach (var s in styleImages) s.Dispose();
            }
            return ExitCodes.Success;
        });
        return command;
    }

    static List<double>? ParseWeights(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || !double.IsFinite(w) || w < 0)
                throw new UsageException($"--weights: '{part}' is not a non-negative number.");
            values.Add(w);
        }
        if (values.Sum() <= 0) throw new UsageException("--weights: at least one weight must be positive.");
        return values;
    }

    /// <summary>"1,2,3" → relu1_1, relu2_1, relu3_1; ReLU names pass through (checked).</summary>
    internal static List<string>? ParseLevels(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var layers = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string name = int.TryParse(part, out int k) ? (k is >= 1 and <= 5 ? $"relu{k}_1" : throw new UsageException($"--levels: {k} is not a level (1 … 5).")) : part;
            try
            {
                if (VggLayers.Get(name).Kind != VggLayerKind.Relu) throw new UsageException($"--levels: {name} is not a ReLU layer.");
            }
            catch (ArgumentException e) { throw new UsageException($"--levels: {e.Message.Split(" (Parameter")[0]}"); }
            layers.Add(name);
        }
        return layers;
    }
}
