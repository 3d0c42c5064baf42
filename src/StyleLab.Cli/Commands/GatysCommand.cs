using System.CommandLine;
using System.Globalization;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods;
using StyleLab.Methods.Gatys;
using static TorchSharp.torch;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab gatys</c>: Gatys et al.'s optimisation-based style transfer on any two images.</summary>
public static class GatysCommand
{
    public static Command Create(CliConsole console)
    {
        // Content, style, size, output, --force and device as every inference command has them; gatys's own
        // colour preservation (luminance or histogram) replaces the plain --preserve-color switch.
        var inference = new InferenceOptions(StyleControl.None, defaultSize: 512);
        var steps = new Option<int?>("--steps") { Description = "Optimisation steps per pyramid level (default: the preset's)." };
        var contentWeight = new Option<double?>("--content-weight") { Description = "α, the content weight." };
        var styleWeight = new Option<double?>("--style-weight") { Description = "β, the style weight." };
        var tvWeight = new Option<double?>("--tv-weight") { Description = "Total-variation weight (0 = off)." };
        var optimizer = EnumOption.Create<GatysOptimizer>("--optimizer", "Optimiser; the paper's is lbfgs");
        var learningRate = new Option<double?>("--lr") { Description = "Adam's learning rate (pixel units per step)." };
        var init = EnumOption.Create<GatysInit>("--init", "Starting image");
        var preserve = EnumOption.Create<ColorPreservation>("--preserve-color", "Keep the content's colours");
        var pyramid = new Option<int?>("--pyramid") { Description = "Coarse-to-fine levels (1 = off)." };
        var contentLayers = new Option<string?>("--content-layers") { Description = "e.g. relu4_2 or relu4_2:1,relu3_2:0.5" };
        var styleLayers = new Option<string?>("--style-layers") { Description = "e.g. relu1_1,relu2_1,relu3_1 (equal weights) or relu1_1:0.5,…" };
        var vgg = VggOption();
        var seed = new Option<long?>("--seed") { Description = "Seed of the noise initialisation." };
        var pooling = EnumOption.Create<VggPooling>("--pooling",
            "VGG pooling: average (the paper's choice for synthesis; the default) or max (the trained network; L-BFGS can stall with it at 512 px and more)");

        var command = new Command("gatys", "Style transfer by optimisation (Gatys, Ecker & Bethge 2016).");
        inference.AddTo(command);
        foreach (Option option in new Option[] { steps, contentWeight, styleWeight, tvWeight, optimizer, learningRate, init, preserve, pyramid, contentLayers, styleLayers, vgg, pooling, seed })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var request = inference.Bind(parse);
            if (!File.Exists(request.Content)) throw new UsageException($"--content: gatys stylises one photo, and '{request.Content}' is a folder.");
            if (request.Styles.Count != 1) throw new UsageException($"--style: gatys takes one style image, not {request.Styles.Count}.");
            var torchDevice = request.Device;
            // Images first: a corrupt file is reported before the (slower) weights are loaded.
            var load = InferenceOptions.Loading(request.Controls.Size);
            using var contentImage = ImageIO.Load(request.Content, load, torchDevice);
            using var styleImage = ImageIO.Load(request.Styles[0], load, torchDevice);
            using var encoder = await EncoderChoice.LoadAsync(console, parse.GetValue(vgg), torchDevice, ct,
                new VggOptions(parse.GetValue(pooling) ?? VggPooling.Average));

            var options = GatysOptions.For(encoder);
            options = options with
            {
                Steps = Positive(parse.GetValue(steps), "--steps") ?? options.Steps,
                ContentWeight = parse.GetValue(contentWeight) ?? options.ContentWeight,
                StyleWeight = parse.GetValue(styleWeight) ?? options.StyleWeight,
                TvWeight = parse.GetValue(tvWeight) ?? options.TvWeight,
                Optimizer = parse.GetValue(optimizer) ?? options.Optimizer,
                LearningRate = parse.GetValue(learningRate) ?? options.LearningRate,
                Init = parse.GetValue(init) ?? options.Init,
                PreserveColor = parse.GetValue(preserve) ?? options.PreserveColor,
                PyramidLevels = Positive(parse.GetValue(pyramid), "--pyramid") ?? options.PyramidLevels,
                ContentLayers = ParseLayers(parse.GetValue(contentLayers), "--content-layers", encoder) ?? options.ContentLayers,
                StyleLayers = ParseLayers(parse.GetValue(styleLayers), "--style-layers", encoder) ?? options.StyleLayers,
                Seed = parse.GetValue(seed) ?? options.Seed,
            };

            var summary = await GatysSession.RunAsync(console, encoder, contentImage, styleImage, options, request.Output, ct);
            GatysSession.Print(console, summary);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// <c>--vgg</c>, the VGG-19 an optimisation runs on (gatys, analogy), as <c>--vgg</c> names a method's VGG everywhere;
    /// <c>--weights</c> is its old name, kept as an alias (deprecated: elsewhere weights are a method's by role).
    /// </summary>
    internal static Option<string?> VggOption() => new("--vgg", "--weights")
    {
        Description = "VGG-19 weights: a registry id (stylelab weights list) or a file path. Default: the best found. (--weights: deprecated old name.)",
    };

    static int? Positive(int? value, string option) =>
        value is < 1 ? throw new UsageException($"{option} must be at least 1, not {value}.") : value;

    /// <summary>"relu4_2" or "relu1_1:0.5,relu2_1"; equal weights summing to 1 where none are given.</summary>
    internal static IReadOnlyDictionary<string, double>? ParseLayers(string? text, string option, Vgg19Encoder encoder)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var layers = new Dictionary<string, double>();
        foreach (var part in parts)
        {
            var pieces = part.Split(':', 2);
            string name = pieces[0];
            try { encoder.Require(name); }
            catch (ArgumentException e) { throw new UsageException($"{option}: {e.Message.Split(" (Parameter")[0]}"); }
            double weight = 1.0 / parts.Length;
            if (pieces.Length == 2 && !double.TryParse(pieces[1], NumberStyles.Float, CultureInfo.InvariantCulture, out weight))
                throw new UsageException($"{option}: '{pieces[1]}' is not a number (in '{part}').");
            layers[name] = weight;
        }
        return layers;
    }
}
