using System.CommandLine;
using Spectre.Console;
using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.SANet;
using StyleLab.Runtime;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab sanet</c>: arbitrary style transfer with style-attentional networks (Park &amp; Lee 2019).</summary>
public static class SANetCommand
{
    public static Command Create(CliConsole console)
    {
        var content = new Option<FileInfo>("--content", "-c") { Description = "The photo to stylise.", Required = true };
        var style = new Option<FileInfo>("--style", "-s") { Description = "The style image.", Required = true };
        var style2 = new Option<FileInfo[]>("--style2") { Description = "More style images: interpolated with --weights, or one per --mask.", AllowMultipleArgumentsPerToken = true };
        var weights = new Option<string?>("--weights") { Description = "Interpolation weights, one per style (--style first), e.g. 0.7,0.3." };
        var mask = new Option<FileInfo[]>("--mask") { Description = "Spatial control: one mask image per style (white = that style's region).", AllowMultipleArgumentsPerToken = true };
        var alpha = new Option<double>("--alpha") { Description = "Content–style trade-off α in [0,1] (1 = full style).", DefaultValueFactory = _ => 1.0 };
        var transformer = new Option<string>("--transformer") { Description = "Transformer weights: a file or registry id.", DefaultValueFactory = _ => "sanet-transformer" };
        var decoder = new Option<string>("--decoder") { Description = "Decoder weights: a file or registry id.", DefaultValueFactory = _ => "sanet-decoder" };
        var vgg = new Option<string?>("--vgg") { Description = "VGG-19 weights: a file or registry id (default: vgg.safetensors next to the transformer, as `train sanet` writes it; else sanet-vgg for 512-channel models, the best VGG found otherwise)." };
        var levels = new Option<string>("--levels") { Description = "both, or one layer only (e.g. relu4_1 or relu5_1): the level ablation.", DefaultValueFactory = _ => "both" };
        var size = new Option<int?>("--size") { Description = "Longest side of the content and style images, in pixels (default 512)." };
        var output = new Option<string>("--output", "-o") { Description = "The result (.png or .jpg).", Required = true };
        var device = GlobalOptions.Device();
        content.AcceptExistingOnly();
        style.AcceptExistingOnly();

        var command = new Command("sanet", "Arbitrary style transfer with style-attentional networks (Park & Lee 2019).")
        {
            content, style, style2, weights, mask, alpha, transformer, decoder, vgg, levels, size, output, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            double a = parse.GetValue(alpha);
            if (a is < 0 or > 1) throw new UsageException($"--alpha must lie in [0, 1], not {a}.");
            var load = FastCommand.Loading(parse.GetValue(size) ?? 512);
            var extra = parse.GetValue(style2) ?? [];
            var masks = parse.GetValue(mask) ?? [];
            var mix = ParseWeights(parse.GetValue(weights), 1 + extra.Length);
            if (masks.Length > 0 && masks.Length != 1 + extra.Length)
                throw new UsageException($"--mask: give one mask per style ({1 + extra.Length} styles, {masks.Length} masks).");
            if (masks.Length > 0 && mix is not null) throw new UsageException("--weights and --mask exclude each other.");

            using var model = await LoadModelAsync(console, parse.GetValue(transformer)!, parse.GetValue(decoder)!, parse.GetValue(vgg), torchDevice, ct);
            var options = new SANetOptions(a, ParseLevels(parse.GetValue(levels)!, model.Layers));
            using var scope = NewDisposeScope();
            var photo = ImageIO.Load(parse.GetValue(content)!.FullName, load, torchDevice);
            var styles = new[] { parse.GetValue(style)! }.Concat(extra).Select(f => ImageIO.Load(f.FullName, load, torchDevice)).ToList();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await Task.Run(() =>
                masks.Length > 0
                    ? model.Stylize(photo, styles, masks.Select(m => MaskFor(m.FullName, photo, torchDevice)).ToList(), options)
                    : model.Stylize(photo, styles, mix ?? Enumerable.Repeat(1.0, styles.Count).ToList(), options), ct);
            string path = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            ImageIO.Save(result.clamp(0, 1), path);
            console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(path)}[/] ({result.shape[3]}×{result.shape[2]}, SANet at {model.Layers}, " +
                $"α {a:0.##}, levels {options.Levels.ToString().ToLowerInvariant()}) in {clock.Elapsed.TotalSeconds:F1} s.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Transformer and decoder from files or registry ids; the VGG from --vgg, else the one their width calls for.</summary>
    internal static async Task<SANetModel> LoadModelAsync(CliConsole console, string transformer, string decoder, string? vgg, Device device, CancellationToken ct)
    {
        using var resolver = new WeightResolver();
        string transformerPath = (await resolver.ResolveAsync(transformer, cancellationToken: ct)).Path;
        var transform = SANetTransform.Load(transformerPath, device);
        var dec = VggDecoder.Load((await resolver.ResolveAsync(decoder, cancellationToken: ct)).Path, device);
        // `stylelab train sanet` leaves the (mean-normalised) VGG it trained with next to the transformer.
        string trainedWith = Path.Combine(Path.GetDirectoryName(transformerPath)!, "vgg.safetensors");
        vgg ??= File.Exists(trainedWith) ? trainedWith : transform.Layers == SANetLayers.Paper ? "sanet-vgg" : null;
        var encoder = await EncoderChoice.LoadAsync(console, vgg, device, ct, VggPresets.Normalised);
        try { return new SANetModel(encoder, transform, dec); }
        catch (ArgumentException e)
        {
            encoder.Dispose(); transform.Dispose(); dec.Dispose();
            throw new UsageException(e.Message.Split(" (Parameter")[0]);
        }
    }

    static IReadOnlyList<double>? ParseWeights(string? text, int styles)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = parts.Select(p => double.TryParse(p, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= 0 ? v
            : throw new UsageException($"--weights: '{p}' is not a non-negative number.")).ToList();
        if (values.Count != styles) throw new UsageException($"--weights: give one weight per style ({styles} styles, {values.Count} weights).");
        if (values.Sum() <= 0) throw new UsageException("--weights must not all be 0.");
        return values;
    }

    internal static SANetLevels ParseLevels(string text, SANetLayers layers) => text.Trim().ToLowerInvariant() switch
    {
        "both" or "all" => SANetLevels.Both,
        var t when t == layers.Shallow || t == "shallow" => SANetLevels.Shallow,
        var t when t == layers.Deep || t == "deep" => SANetLevels.Deep,
        _ => throw new UsageException($"--levels must be both, {layers.Shallow} or {layers.Deep} for this model, not '{text}'."),
    };

    static Tensor MaskFor(string path, Tensor photo, Device device)
    {
        using var image = ImageIO.Load(path, new ImageLoadOptions { Size = Resize.Exact((int)photo.shape[3], (int)photo.shape[2]) }, device);
        return (image.mean([1], keepdim: true) > 0.5).to(ScalarType.Float32);
    }
}
