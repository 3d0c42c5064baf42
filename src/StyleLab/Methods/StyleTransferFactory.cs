using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Methods.AdaIN;
using StyleLab.Methods.Arbitrary;
using StyleLab.Methods.CAST;
using StyleLab.Methods.DeepAnalogy;
using StyleLab.Methods.FeedForward;
using StyleLab.Methods.Gatys;
using StyleLab.Methods.ImageAnalogies;
using StyleLab.Methods.ImageQuilting;
using StyleLab.Methods.SANet;
using StyleLab.Methods.WCT;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Methods;

/// <summary>
/// Builds an <see cref="IStyleTransfer"/> from a method's name and its weights, so notebooks, the command line
/// and scripts choose methods by name. Weights are given by role (<see cref="Roles"/>), each a file, a folder
/// or a registry id; a role left out takes the default the method's paper or StyleLab's training commands use.
/// Also the one home of the decisions that go with weights: which VGG a decoder was trained with, where a
/// trained SANet or WCT keeps its encoder.
/// </summary>
public static class StyleTransferFactory
{
    /// <summary>The methods, by name.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["gatys", "adain", "wct", "sanet", "cast", "fast", "arbitrary", "analogy", "quilt", "image-analogy"];

    /// <summary>The weight roles each method reads, and what a role left out defaults to.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Roles { get; } = new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["gatys"] = new Dictionary<string, string> { ["vgg"] = "the best VGG-19 found: " + string.Join(", ", VggChoice.Preferred) },
        ["analogy"] = new Dictionary<string, string> { ["vgg"] = "the best VGG-19 found: " + string.Join(", ", VggChoice.Preferred) },
        ["adain"] = new Dictionary<string, string>
        {
            ["decoder"] = "adain-decoder",
            ["vgg"] = "adain-vgg-normalised for a relu4_1 decoder, vgg19-caffe-partial for shallower ones (what `stylelab train adain` uses)",
        },
        ["sanet"] = new Dictionary<string, string>
        {
            ["transformer"] = "sanet-transformer",
            ["decoder"] = "sanet-decoder",
            ["vgg"] = "vgg.safetensors next to the transformer (as `stylelab train sanet` writes it), else sanet-vgg for the paper's layers",
        },
        ["wct"] = new Dictionary<string, string>
        {
            ["decoders"] = "a folder of wct-decoder-relu{k}_1.safetensors / feature_invertor_conv{k}_1.pth",
            ["vgg"] = $"{WctDecoderFiles.EncoderFileName} in the decoders' folder, else the best VGG-19 found",
        },
        ["cast"] = new Dictionary<string, string>
        {
            ["model"] = "a folder with latest_net_AE and latest_net_Dec_B (official, or `stylelab train cast --out`)",
            ["encoder"] = "cast-ae, or the model folder's latest_net_AE",
            ["decoder"] = "cast-dec-b, or the model folder's latest_net_Dec_B",
        },
        ["fast"] = new Dictionary<string, string> { ["style"] = $"required: a style name ({string.Join(", ", FastStyle.KnownStyles)}) or a checkpoint folder" },
        ["arbitrary"] = new Dictionary<string, string> { ["folder"] = $"{ArbitraryStyle.WeightsFolder} under the weights folders" },
        // The example-based methods before neural style transfer need no weights.
        ["quilt"] = new Dictionary<string, string>(),
        ["image-analogy"] = new Dictionary<string, string>(),
    };

    /// <summary>How to get or train each method's weights offline, for errors.</summary>
    static readonly IReadOnlyDictionary<string, string> Remedies = new Dictionary<string, string>
    {
        ["gatys"] = "`stylelab weights fetch vgg19-caffe`, or point STYLELAB_WEIGHTS at ../shared/weights (partial VGG-19)",
        ["analogy"] = "`stylelab weights fetch vgg19-caffe`, or point STYLELAB_WEIGHTS at ../shared/weights (partial VGG-19)",
        ["adain"] = "`stylelab weights fetch adain-decoder` (and adain-vgg-normalised), or train a decoder offline on the partial VGG-19: `stylelab train adain --content-dir … --style-dir … --out decoder.safetensors`",
        ["sanet"] = "the official files (`stylelab weights list` says where: sanet-transformer, sanet-decoder, sanet-vgg), or train offline: `stylelab train sanet --content-dir … --style-dir … --out folder` and pass its files",
        ["wct"] = "the official decoders (`stylelab weights list` says where: wct-decoder1 … wct-decoder5), or train them offline: `stylelab train wct-decoder --level 3 --content-dir … --out folder`",
        ["cast"] = "the official checkpoints (github.com/zyxElsa/CAST_pytorch, 'pretrained models'), or train offline: `stylelab train cast --realistic-dir … --artistic-dir … --out folder`",
        ["fast"] = "`stylelab weights fetch fast-style-wave`, or point STYLELAB_WEIGHTS at ../shared/weights",
        ["arbitrary"] = "`stylelab weights fetch magenta-style-predict-int8` (and magenta-style-transfer-f16-384), or point STYLELAB_WEIGHTS at ../shared/weights",
    };

    /// <summary>
    /// Builds <paramref name="method"/> (one of <see cref="Methods"/>) on <paramref name="device"/> (default CPU)
    /// from <paramref name="weights"/> (role → file, folder or registry id; see <see cref="Roles"/>).
    /// </summary>
    /// <param name="method">One of <see cref="Methods"/>.</param>
    /// <param name="weights">Role → file, folder or registry id (see <see cref="Roles"/>); null: every default.</param>
    /// <param name="device">Where the method runs (default CPU).</param>
    /// <param name="download">Download registered weights that are found nowhere (default: offline).</param>
    /// <exception cref="ArgumentException">An unknown method or role.</exception>
    /// <exception cref="FileNotFoundException">Weights missing; the message says how to get or train them.</exception>
    public static IStyleTransfer Create(string method, IReadOnlyDictionary<string, string>? weights = null, Device? device = null, bool download = false)
    {
        string name = method.Trim().ToLowerInvariant();
        if (!Roles.TryGetValue(name, out var roles))
            throw new ArgumentException($"Unknown method '{method}'; the methods are {string.Join(", ", Methods)}.", nameof(method));
        weights ??= new Dictionary<string, string>();
        foreach (var role in weights.Keys)
            if (!roles.ContainsKey(role))
                throw new ArgumentException($"{name} has no weights '{role}'; its roles are {string.Join(", ", roles.Keys)}.", nameof(weights));
        device ??= CPU;
        using var resolver = new WeightResolver();
        var files = new List<string>();
        string Resolve(string idOrPath)
        {
            string path = resolver.Resolve(idOrPath, download: download).Path;
            files.Add(path);
            return path;
        }
        Vgg19Encoder Vgg(string? idOrPath, VggOptions? options, bool normalised = false)
        {
            var location = idOrPath is null
                ? VggChoice.Preferred.Select(resolver.Locate).FirstOrDefault(l => l is not null) ?? resolver.Resolve(VggChoice.Preferred[0], download: download)
                : resolver.Resolve(idOrPath, download: download);
            files.Add(location.Path);
            var preprocessing = location.Entry?.Preprocessing is { } p ? Preprocessing.FromName(p) : null;
            return normalised ? NormalisedVgg.Load(location.Path, preprocessing, device) : Vgg19Encoder.Load(location.Path, options, preprocessing, device);
        }
        string? Get(string role) => weights.TryGetValue(role, out var v) ? v : null;
        try
        {
            return name switch
            {
                "gatys" => new GatysMethod(Vgg(Get("vgg"), null), weightFiles: files),
                "analogy" => new DeepAnalogyMethod(Vgg(Get("vgg"), null), weightFiles: files),
                "adain" => AdaIN(Resolve(Get("decoder") ?? "adain-decoder"), Get("vgg"), Vgg, device, files),
                "sanet" => SANet(Resolve(Get("transformer") ?? "sanet-transformer"), Resolve(Get("decoder") ?? "sanet-decoder"), Get("vgg"), Vgg, device, files),
                "wct" => Wct(Get("decoders") ?? throw Missing(name, "no decoders folder given"), Get("vgg"), Vgg, device, files),
                "cast" => Cast(Get("model"), Get("encoder"), Get("decoder"), Resolve, device, files),
                "fast" => Fast(Get("style") ?? throw Missing(name, "no style given (the network is the style)"), device),
                "quilt" => new ImageQuiltingMethod(device: device),
                "image-analogy" => new ImageAnalogyMethod(device: device),
                _ => Arbitrary(Get("folder"), device),
            };
        }
        catch (FileNotFoundException e) when (e is not MissingWeightsException)
        {
            throw new MissingWeightsException($"{name}: {e.Message} To get them: {Remedies[name]}.", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new MissingWeightsException($"{name}: {e.Message} To get them: {Remedies[name]}.", e);
        }
    }

    static MissingWeightsException Missing(string method, string what) => new($"{method}: {what}. To get weights: {Remedies[method]}.");

    static AdaINMethod AdaIN(string decoderPath, string? vgg, Func<string?, VggOptions?, bool, Vgg19Encoder> load, Device device, List<string> files)
    {
        var decoder = VggDecoder.Load(decoderPath, device);
        try
        {
            // The official decoder pairs with the official normalised VGG; decoders StyleLab trains offline stop earlier, on ../shared's partial VGG.
            var encoder = load(vgg ?? (decoder.FromLayer == "relu4_1" ? "adain-vgg-normalised" : "vgg19-caffe-partial"), null, true);
            if (VggLayers.Get(decoder.FromLayer).Index > encoder.DeepestLayer.Index)
            {
                encoder.Dispose();
                throw new WeightFileException(decoderPath, $"decodes {decoder.FromLayer} features, but the VGG weights {encoder.Source} stop at {encoder.DeepestLayer.Name}; give the VGG it was trained with.");
            }
            decoder.eval();
            return new AdaINMethod(new AdaINModel(encoder, decoder), files);
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }

    static SANetMethod SANet(string transformerPath, string decoderPath, string? vgg, Func<string?, VggOptions?, bool, Vgg19Encoder> load, Device device, List<string> files)
    {
        var transform = SANetTransform.Load(transformerPath, device);
        var decoder = VggDecoder.Load(decoderPath, device);
        try
        {
            // `stylelab train sanet` leaves the (mean-normalised) VGG it trained with next to the transformer.
            string trainedWith = Path.Combine(Path.GetDirectoryName(transformerPath)!, "vgg.safetensors");
            vgg ??= File.Exists(trainedWith) ? trainedWith : transform.Layers == SANetLayers.Paper ? "sanet-vgg" : null;
            var encoder = load(vgg, VggPresets.Normalised, false);
            try { return new SANetMethod(new SANetModel(encoder, transform, decoder), weightFiles: files); }
            catch { encoder.Dispose(); throw; }
        }
        catch
        {
            transform.Dispose();
            decoder.Dispose();
            throw;
        }
    }

    static WctMethod Wct(string folder, string? vgg, Func<string?, VggOptions?, bool, Vgg19Encoder> load, Device device, List<string> files)
    {
        var decoders = WctDecoderFiles.LoadAll(folder, device);
        try
        {
            files.AddRange(WctOptions.PaperLevels.Select(l => WctDecoderFiles.Find(folder, l)).OfType<string>());
            // Decoders trained by `stylelab train wct-decoder` on ImageNet weights invert the normalised copy saved beside them.
            string saved = Path.Combine(folder, WctDecoderFiles.EncoderFileName);
            var encoder = load(vgg ?? (File.Exists(saved) ? saved : null), VggPresets.Normalised, false);
            return new WctMethod(new UniversalStyleTransfer(encoder, decoders, ownsModels: true), weightFiles: files);
        }
        catch
        {
            foreach (var d in decoders) d.Dispose();
            throw;
        }
    }

    static CastMethod Cast(string? folder, string? encoder, string? decoder, Func<string, string> resolve, Device device, List<string> files)
    {
        if (folder is not null && !Directory.Exists(folder)) throw new DirectoryNotFoundException($"the CAST model folder '{folder}' does not exist.");
        string? InFolder(string file) => folder is null ? null : CastWeights.Find(folder, file);
        string decoderPath = resolve(decoder ?? InFolder(CastWeights.DecoderB) ?? "cast-dec-b");   // the decoder first: without it there is no stylisation
        string encoderPath = resolve(encoder ?? InFolder(CastWeights.Encoder) ?? "cast-ae");
        return new CastMethod(CastGenerator.Load(encoderPath, decoderPath, device: device), files);
    }

    static FastStyleMethod Fast(string style, Device device)
    {
        FastStyle network;
        try { network = FastStyle.Load(style, device); }
        catch (ArgumentException e) { throw new FileNotFoundException(e.Message.Split(" (Parameter")[0]); }
        return new FastStyleMethod(network, [Directory.Exists(style) || File.Exists(style) ? Path.GetFullPath(style) : FastStyle.AvailableStyles()[network.Name]]);
    }

    static ArbitraryStyleMethod Arbitrary(string? folder, Device device)
    {
        ArbitraryStyle networks;
        try { networks = ArbitraryStyle.Load(folder, device: device); }
        catch (ArgumentException e) { throw new FileNotFoundException(e.Message.Split(" (Parameter")[0]); }
        return new ArbitraryStyleMethod(networks, [networks.Options.PredictorFile, networks.Options.TransformerFile]);
    }
}
