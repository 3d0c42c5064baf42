using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.AdaIN;
using StyleLab.Runtime;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab adain</c>: arbitrary style transfer in one forward pass (Huang &amp; Belongie 2017) with the
/// paper's controls — α, interpolation between styles, a mask for two styles, colour preservation.
/// </summary>
public static class AdaINCommand
{
    public static Command Create(CliConsole console)
    {
        var content = new Option<FileInfo>("--content", "-c") { Description = "The photo to stylise.", Required = true };
        var style = new Option<FileInfo[]>("--style", "-s") { Description = "The painting whose style to use (repeat for interpolation).", Required = true };
        var style2 = new Option<FileInfo>("--style2") { Description = "A second style: mixed in with --weights, or placed outside the --mask." };
        var alpha = new Option<double>("--alpha") { Description = "Content–style trade-off in [0,1] (0: the photo reconstructed, 1: full style).", DefaultValueFactory = _ => 1.0 };
        var weights = new Option<string?>("--weights") { Description = "Interpolation weights of the styles in order, e.g. 0.7,0.3 (normalised to sum 1)." };
        var mask = new Option<FileInfo>("--mask") { Description = "Black/white image: the first style goes where it is white, --style2 where it is black." };
        var preserve = new Option<bool>("--preserve-color") { Description = "Keep the photo's colours (the style images are recoloured to its colour statistics first)." };
        var decoder = new Option<string>("--decoder") { Description = $"Decoder state dict (.pth/.safetensors) or registry id.", DefaultValueFactory = _ => AdaINWeights.OfficialDecoder };
        var vgg = new Option<string?>("--vgg") { Description = $"VGG-19 weights the decoder was trained with (default: {AdaINWeights.OfficialVgg} for a relu4_1 decoder, {AdaINWeights.PartialVgg} for shallower ones)." };
        var size = new Option<int?>("--size") { Description = "Longest side of photo and styles in pixels (default: each image's own size; the official test.py scales the smaller side to 512)." };
        var output = new Option<string>("--output", "-o") { Description = "The result (.png or .jpg).", Required = true };
        var device = GlobalOptions.Device();
        content.AcceptExistingOnly();
        style.AcceptExistingOnly();
        style2.AcceptExistingOnly();
        mask.AcceptExistingOnly();

        var command = new Command("adain", "Arbitrary style transfer with adaptive instance normalisation (Huang & Belongie 2017).")
        {
            content, style, style2, alpha, weights, mask, preserve, decoder, vgg, size, output, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            var styles = parse.GetValue(style)!.Concat(parse.GetValue(style2) is { } s2 ? [s2] : Array.Empty<FileInfo>()).ToList();
            double a = parse.GetValue(alpha);
            if (a is < 0 or > 1) throw new UsageException($"--alpha must be in [0, 1], not {a}.");
            var mixture = Weights(parse.GetValue(weights), styles.Count);
            var maskFile = parse.GetValue(mask);
            if (maskFile is not null && styles.Count != 2)
                throw new UsageException($"--mask needs exactly two styles (--style and --style2); got {styles.Count}.");
            if (maskFile is not null && mixture is not null)
                throw new UsageException("--mask and --weights cannot be combined: the mask decides where each style goes.");
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));

            var decoderNet = await AdaINWeights.LoadDecoderAsync(console, parse.GetValue(decoder)!, torchDevice, ct);
            string vggChoice = parse.GetValue(vgg) ?? (decoderNet.FromLayer == "relu4_1" ? AdaINWeights.OfficialVgg : AdaINWeights.PartialVgg);
            Vgg19Encoder encoder;
            try { encoder = await AdaINWeights.LoadVggAsync(console, vggChoice, torchDevice, ct); }
            catch { decoderNet.Dispose(); throw; }
            if (VggLayers.Get(decoderNet.FromLayer).Index > encoder.DeepestLayer.Index)
            {
                encoder.Dispose();
                decoderNet.Dispose();
                throw new UsageException($"the decoder starts from {decoderNet.FromLayer} but the VGG weights stop at {encoder.DeepestLayer.Name}; pass the --vgg it was trained with.");
            }
            using var model = new AdaINModel(encoder, decoderNet);

            var load = FastCommand.Loading(parse.GetValue(size));
            using var photo = ImageIO.Load(parse.GetValue(content)!.FullName, load, torchDevice);
            var paintings = styles.Select(f => ImageIO.Load(f.FullName, load, torchDevice)).ToList();
            using var maskImage = maskFile is null ? null : ImageIO.Load(maskFile.FullName, device: torchDevice).mean([1], keepdim: true);
            var options = new AdaINOptions(a, mixture, parse.GetValue(preserve));
            var clock = Stopwatch.StartNew();
            using var result = await Task.Run(() => model.Stylize(photo, paintings, options, maskImage), ct);
            clock.Stop();
            foreach (var p in paintings) p.Dispose();
            var path = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ImageIO.Save(result, path);
            console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/] ({result.shape[3]}×{result.shape[2]}, AdaIN at {model.Layer}, " +
                $"α = {a.ToString(CultureInfo.InvariantCulture)}, {styles.Count} style(s){(maskFile is null ? "" : ", masked")}" +
                $"{(options.PreserveColor ? ", colours kept" : "")}) in {clock.Elapsed.TotalSeconds:F2} s.");
            return ExitCodes.Success;
        });
        return command;
    }

    static double[]? Weights(string? text, int count)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != count) throw new UsageException($"--weights has {parts.Length} weights for {count} styles.");
        var values = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w >= 0
            ? w : throw new UsageException($"--weights: '{p}' is not a non-negative number.")).ToArray();
        return values.Sum() > 0 ? values : throw new UsageException("--weights must not all be zero.");
    }
}
