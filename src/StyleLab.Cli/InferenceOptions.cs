using System.CommandLine;
using System.Globalization;
using StyleLab.Data;
using StyleLab.Imaging;
using StyleLab.Methods;
using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Cli;

/// <summary>What one inference command was asked to do, bound from <see cref="InferenceOptions"/>.</summary>
/// <param name="Content">The content image or folder (sample names resolved).</param>
/// <param name="Styles">The style images (sample names resolved).</param>
/// <param name="Controls">α, interpolation weights, colour, size (masks are loaded per content size, see <see cref="InferenceOptions.Masks"/>).</param>
/// <param name="MaskFiles">One mask image per style, or none.</param>
/// <param name="Output">The result file, or a folder for a folder of photos.</param>
/// <param name="Device">Where to compute.</param>
public sealed record InferenceRequest(string Content, IReadOnlyList<string> Styles, StyleControls Controls,
    IReadOnlyList<string> MaskFiles, string Output, Device Device)
{
    /// <summary>Replace outputs that exist (<c>--force</c>); an input is never replaced.</summary>
    public bool Force { get; init; }

    /// <summary>Style images loaded at <see cref="StyleControls.Size"/> (their own size without it).</summary>
    public List<Tensor> LoadStyles() => Styles.Select(s => ImageIO.Load(s, InferenceOptions.Loading(Controls.Size), Device)).ToList();

    /// <summary>The controls for one content image: the masks loaded at its size.</summary>
    public StyleControls For(Tensor content) => MaskFiles.Count == 0 ? Controls : Controls with
    {
        Masks = MaskFiles.Select(m => ImageIO.Load(m, new ImageLoadOptions { Size = Resize.Exact((int)content.shape[3], (int)content.shape[2]) }, Device)
            .mean([1], keepdim: true)).ToList(),
    };
}

/// <summary>
/// The options every inference command shares, declared once: <c>--content</c>, <c>--style</c> (repeat for several),
/// <c>--mix</c>, <c>--mask</c>, <c>--alpha</c>, <c>--preserve-color</c>, <c>--size</c>, <c>--output</c>, <c>--force</c>, <c>--device</c>.
/// A command adds only the controls its method supports (<see cref="IStyleTransfer.Supports"/>), so an
/// unsupported one is an unknown option, never silently ignored.
/// </summary>
public sealed class InferenceOptions
{
    public Option<string> Content { get; } = new("--content", "-c")
    {
        Description = "The photo to stylise: a file, a folder of photos, or a sample name (chicago.jpg).", Required = true,
    };

    public Option<string[]> Style { get; } = new("--style", "-s")
    {
        Description = "A style image: a file or a sample name (Starry.jpg); repeat for several styles.", Required = true,
    };

    public Option<string?> Mix { get; } = new("--mix") { Description = "Interpolation weights of the styles in order, e.g. 0.7,0.3 (normalised to sum 1)." };

    public Option<string[]> Mask { get; } = new("--mask")
    {
        Description = "Spatial control: one black/white image per style (white = that style's region; uncovered pixels take the last style).",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<double> Alpha { get; } = new("--alpha") { Description = "Content–style trade-off α in [0,1] (1 = full style).", DefaultValueFactory = _ => 1.0 };

    public Option<bool> PreserveColor { get; } = new("--preserve-color") { Description = "Keep the photo's colours." };

    public Option<int?> Size { get; }

    public Option<string> Output { get; } = new("--output", "-o") { Description = "The result (.png or .jpg), or a folder for a folder of photos.", Required = true };

    public Option<bool> Force { get; } = OutputFiles.ForceOption();

    public Option<string> Device { get; } = GlobalOptions.Device();

    readonly StyleControl _supports;
    readonly bool _styleImages;

    /// <param name="supports">The controls the command's method supports: only their options are declared.</param>
    /// <param name="styleImages">False for a method whose style is in its weights (fast): no <c>--style</c> images are declared.</param>
    /// <param name="defaultSize">The <c>--size</c> when none is given (gatys: 512, its cost grows with the pixels); null: each image's own.</param>
    public InferenceOptions(StyleControl supports, bool styleImages = true, int? defaultSize = null)
    {
        _supports = supports;
        _styleImages = styleImages;
        Size = SizeOption.Optional(defaultSize is null
            ? "Longest side of photo and styles in pixels (default: each image's own size)."
            : "Longest side of photo and styles in pixels.");
        if (defaultSize is { } d) Size.DefaultValueFactory = _ => SizeOption.Check(d);
    }

    /// <summary>Declares the options on <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Content);
        if (_styleImages) command.Options.Add(Style);
        if (_supports.HasFlag(StyleControl.Interpolation)) command.Options.Add(Mix);
        if (_supports.HasFlag(StyleControl.Masks)) command.Options.Add(Mask);
        if (_supports.HasFlag(StyleControl.Alpha)) command.Options.Add(Alpha);
        if (_supports.HasFlag(StyleControl.PreserveColor)) command.Options.Add(PreserveColor);
        command.Options.Add(Size);
        command.Options.Add(Output);
        command.Options.Add(Force);
        command.Options.Add(Device);
    }

    /// <summary>Reads and checks the options; errors name the option.</summary>
    public InferenceRequest Bind(ParseResult parse)
    {
        using var samples = new SampleData();
        string content = Resolve(samples, SampleKind.Content, parse.GetValue(Content)!, "--content", allowFolder: true);
        var styles = (_styleImages ? parse.GetValue(Style) ?? [] : []).Select(s => Resolve(samples, SampleKind.Style, s, "--style", allowFolder: false)).ToList();
        // An option the command did not declare reads as its type's default, not its own: read only the declared ones.
        bool Has(StyleControl control) => _supports.HasFlag(control);
        var masks = (Has(StyleControl.Masks) ? parse.GetValue(Mask) ?? [] : [])
            .Select(m => File.Exists(m) ? m : throw new UsageException($"--mask: '{m}' does not exist.")).ToList();
        var mix = Has(StyleControl.Interpolation) ? Weights(parse.GetValue(Mix)) : null;
        double alpha = Has(StyleControl.Alpha) ? parse.GetValue(Alpha) : 1;
        if (!(alpha >= 0 && alpha <= 1)) throw new UsageException($"--alpha must lie in [0, 1], not {alpha.ToString(CultureInfo.InvariantCulture)}.");
        if (mix is not null && mix.Length != styles.Count) throw new UsageException($"--mix gives {mix.Length} weights for {styles.Count} --style images: give one per style.");
        if (masks.Count > 0 && masks.Count != styles.Count) throw new UsageException($"--mask: give one mask per --style ({styles.Count} styles, {masks.Count} masks).");
        if (masks.Count > 0 && mix is not null) throw new UsageException("--mix and --mask exclude each other: masks give each style its own region.");
        int? size = parse.GetValue(Size);
        Loading(size);
        var controls = new StyleControls { Alpha = alpha, StyleWeights = mix, PreserveColor = Has(StyleControl.PreserveColor) && parse.GetValue(PreserveColor), Size = size };
        string output = parse.GetValue(Output)!;
        bool force = parse.GetValue(Force);
        // One photo to one file: refused now, before any weights load (a folder's names are checked when planned).
        if (File.Exists(content) && !Directory.Exists(output)) OutputFiles.Check(output, force, [content, .. styles, .. masks]);
        return new InferenceRequest(content, styles, controls, masks, output, TorchRuntime.ParseDevice(parse.GetValue(Device))) { Force = force };
    }

    /// <summary>How images are loaded for <c>--size</c>.</summary>
    public static ImageLoadOptions Loading(int? size) => size is null
        ? new ImageLoadOptions()
        : new ImageLoadOptions { Size = Resize.LongestSide(SizeOption.Check(size.Value)) };

    /// <summary>An image file, else a bare sample name looked up in the sample data.</summary>
    public static string ResolveImage(string name, SampleKind kind, string option)
    {
        using var samples = new SampleData();
        return Resolve(samples, kind, name, option, allowFolder: false);
    }

    /// <summary>A file (or folder), else a bare sample name looked up in the sample data.</summary>
    static string Resolve(SampleData samples, SampleKind kind, string name, string option, bool allowFolder)
    {
        if (File.Exists(name) || (allowFolder && Directory.Exists(name))) return name;
        if (name.Contains('/') || name.Contains('\\')) throw new UsageException($"{option}: '{name}' does not exist.");
        try { return samples.Resolve(kind, name); }
        catch (Exception e) when (e is ArgumentException or IOException or HttpRequestException)
        {
            throw new UsageException($"{option}: '{name}' is neither a file nor a sample ({e.Message.Split(" (Parameter")[0]})");
        }
    }

    static double[]? Weights(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var values = text.Split(',', StringSplitOptions.TrimEntries).Select(p =>
            double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && double.IsFinite(w) && w >= 0
                ? w : throw new UsageException($"--mix: '{p}' is not a non-negative number.")).ToArray();
        return values.Sum() > 0 ? values : throw new UsageException("--mix: at least one weight must be positive.");
    }
}
