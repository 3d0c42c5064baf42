using System.CommandLine;
using System.Globalization;
using StyleLab.Data;
using StyleLab.Diagnostics;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods;
using StyleLab.Methods.AdaIN;
using StyleLab.Methods.Gatys;
using StyleLab.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab bench video</c>: the tables of docs/video.md — flow end-point error and mask accuracy on the synthetic
/// clips, Lai's warping error and the Gram style loss per temporal mode and method, and frames per second with the flow
/// included — printed as Markdown. AdaIN runs the official architecture with random weights (no trained decoder ships
/// offline), so its flicker row shows the mechanism, not a trained model's look.
/// </summary>
static class VideoBenchCommand
{
    public static Command Create(CliConsole console)
    {
        var size = new Option<int>("--size") { Description = "Width of the flicker clips (height ¾ of it).", DefaultValueFactory = _ => 128 };
        var frames = new Option<int>("--frames") { Description = "Frames per flicker clip.", DefaultValueFactory = _ => 5 };
        var steps = new Option<int>("--gatys-steps") { Description = "Gatys: L-BFGS steps per frame (flicker at ½ the size).", DefaultValueFactory = _ => 15 };
        var fpsSizes = new Option<string>("--fps-sizes") { Description = "Frame heights for throughput (4:3), comma-separated; empty: skip.", DefaultValueFactory = _ => "256,512" };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads.", DefaultValueFactory = _ => 2 };
        var parts = new Option<string>("--parts") { Description = "Which tables: flow, flicker, fps (comma-separated).", DefaultValueFactory = _ => "flow,flicker,fps" };
        var command = new Command("video", "Flow accuracy, warping error per temporal mode and frames/s on synthetic clips made from the sample photos; Markdown tables.")
        {
            size, frames, steps, fpsSizes, threads, parts,
        };
        command.SetAction((parse, ct) => Task.Run(() =>
        {
            int n = parse.GetValue(frames), width = parse.GetValue(size);
            if (n < 2) throw new UsageException("--frames must be at least 2.");
            if (width < 32) throw new UsageException("--size must be at least 32.");
            if (parse.GetValue(threads) < 1) throw new UsageException("--threads must be at least 1.");
            torch.set_num_threads(parse.GetValue(threads));
            var heights = parse.GetValue(fpsSizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(h => int.TryParse(h, out int v) && v >= 32 ? v : throw new UsageException($"--fps-sizes: '{h}' is not a height of at least 32.")).ToList();
            var shown = parse.GetValue(parts)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
            if (shown.Except(["flow", "flicker", "fps"]).FirstOrDefault() is { } unknown) throw new UsageException($"--parts: '{unknown}' is not flow, flicker or fps.");
            Run(console, width, n, parse.GetValue(steps), shown.Contains("fps") ? heights : [], shown, ct);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    static void Run(CliConsole console, int width, int frames, int gatysSteps, IReadOnlyList<int> heights, IReadOnlySet<string> parts, CancellationToken ct)
    {
        // Markdown, unwrapped: straight to the console's writer, past Spectre's line wrapping.
        var w = console.Out.Profile.Out.Writer;
        string Photo(string name, SampleKind kind) => InferenceOptions.ResolveImage(name, kind, "--size");
        int height = width * 3 / 4;
        w.WriteLine($"{torch.get_num_threads()} threads; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average {LoadAverage()}");
        w.WriteLine();

        // 1. Flow against the known motion.
        if (parts.Contains("flow"))
        {
            w.WriteLine($"| clip ({width}×{height}, {frames} frames) | EPE px | mask accuracy | disocclusion-only accuracy | hidden pixels masked | visible pixels kept |");
            w.WriteLine("|---|---|---|---|---|---|");
            using (var pan = SyntheticVideo.PanFromFile(Photo("chicago.jpg", SampleKind.Content), frames, width, height, 2.5, -1.25))
                w.WriteLine(Row(VideoBenchmark.Flow("pan (2.5, −1.25) px/frame", pan)));
            using (var background = ImageIO.Load(Photo("golden_gate.jpg", SampleKind.Content), new ImageLoadOptions { Size = Resize.Exact(width, height) }))
            using (var spriteImage = ImageIO.Load(Photo("Starry.jpg", SampleKind.Style), new ImageLoadOptions { Size = Resize.Exact(width / 4, height / 4) }))
            using (var sprite = SyntheticVideo.Sprite(background, spriteImage, frames, width / 6, height * 3 / 8, 4, 0))
                w.WriteLine(Row(VideoBenchmark.Flow("sprite 4 px/frame", sprite)));
            w.WriteLine();
        }

        // 2. Flicker and style loss per temporal mode.
        if (parts.Contains("flicker"))
        {
            // The VGG-19 Gatys would use (the best found) measures every method's Gram loss.
            using var gatysDefault = (GatysMethod)StyleTransferFactory.Create("gatys");
            var vgg = gatysDefault.Encoder;
            using var style = ImageIO.Load(Photo("Starry.jpg", SampleKind.Style), new ImageLoadOptions { Size = Resize.LongestSide(width) });
            using var wave = ImageIO.Load(Photo("wave.jpg", SampleKind.Style), new ImageLoadOptions { Size = Resize.LongestSide(width) });
            // Columns: each temporal mode against per-frame stylisation; a method that has no such mode shows "–".
            (string Label, VideoOptions Options)[] modes =
            [
                ("blend 0.9", VideoOptions.Default with { Temporal = TemporalMode.Blend, Strength = 0.9 }),
                ("blend 0.8", VideoOptions.Default with { Temporal = TemporalMode.Blend, Strength = 0.8 }),
                ("features 0.5", VideoOptions.Default with { Temporal = TemporalMode.Features, Strength = 0.5 }),
                ("features 0.8", VideoOptions.Default with { Temporal = TemporalMode.Features, Strength = 0.8 }),
                ("ruder", VideoOptions.Default with { Temporal = TemporalMode.Ruder }),
                ("ruder, paper's γ = 200", VideoOptions.Default with { Temporal = TemporalMode.Ruder, TemporalWeight = GatysTemporal.PaperWeight }),
            ];
            w.WriteLine("| method | clip | per frame | " + string.Join(" | ", modes.Select(m => $"{m.Label} | factor | Gram change")) + " |");
            w.WriteLine("|---|---|---|" + string.Concat(modes.Select(_ => "---|---|---|")));
            void Table(string name, IStyleTransfer method, IReadOnlyList<Tensor> styles, SyntheticVideo clip, Tensor reference, string size)
            {
                var none = VideoBenchmark.Flicker(name, method, styles, clip, VideoOptions.Default, vgg, reference, ct);
                var cells = modes.Select(m => Applies(method, m.Options.Temporal, m.Label)
                    ? Versus(none, VideoBenchmark.Flicker(name, method, styles, clip, m.Options, vgg, reference, ct)) : "– | – | –");
                w.WriteLine($"| {name} | {size} | {none.WarpingError:F5} | {string.Join(" | ", cells)} |");
            }
            using (var clip = SyntheticVideo.PanFromFile(Photo("chicago.jpg", SampleKind.Content), frames, width, height, 2.5, -1.25))
                foreach (var (name, method, styles, reference) in FeedForward(style, wave))
                    using (method) Table(name, method, styles, clip, reference, $"{width}×{height}");
            using (var small = SyntheticVideo.PanFromFile(Photo("chicago.jpg", SampleKind.Content), Math.Min(frames, 3), width / 2, height / 2, 2.5, -1.25))
            using (var gatys = new GatysMethod(vgg, GatysOptions.For(vgg) with { Steps = gatysSteps }, ownsEncoder: false))
            using (var smallStyle = ImageIO.Load(Photo("Starry.jpg", SampleKind.Style), new ImageLoadOptions { Size = Resize.LongestSide(width / 2) }))
                Table($"gatys ({gatysSteps} steps)", gatys, [smallStyle], small, smallStyle, $"{width / 2}×{height / 2}");
            w.WriteLine();
        }

        // 3. Throughput, flow included (blend).
        if (heights.Count == 0) return;
        using var fpsStyle = ImageIO.Load(Photo("Starry.jpg", SampleKind.Style), new ImageLoadOptions { Size = Resize.LongestSide(256) });
        using var fpsWave = ImageIO.Load(Photo("wave.jpg", SampleKind.Style), new ImageLoadOptions { Size = Resize.LongestSide(256) });
        w.WriteLine("| method | " + string.Join(" | ", heights.Select(h => $"{h * 4 / 3 / 2 * 2}×{h} frames/s")) + " |");
        w.WriteLine("|---|" + string.Concat(heights.Select(_ => "---|")));
        foreach (var (name, method, styles, _) in FeedForward(fpsStyle, fpsWave))
            using (method)
            {
                var cells = new List<string>();
                foreach (int h in heights)
                {
                    using var clip = SyntheticVideo.PanFromFile(Photo("chicago.jpg", SampleKind.Content), h >= 512 ? 3 : 4, h * 4 / 3 / 2 * 2, h, 2.5, -1.25);
                    cells.Add(VideoBenchmark.Throughput(method, styles, clip, VideoOptions.Default with { Temporal = TemporalMode.Blend }, ct).ToString("F2", CultureInfo.InvariantCulture));
                }
                w.WriteLine($"| {name} | {string.Join(" | ", cells)} |");
            }
        w.WriteLine($"load average after: {LoadAverage()}");
    }

    /// <summary>fast (wave), arbitrary (Magenta, Starry Night) and AdaIN (official architecture, random weights).</summary>
    static IEnumerable<(string Name, IStyleTransfer Method, IReadOnlyList<Tensor> Styles, Tensor Reference)> FeedForward(Tensor style, Tensor wave)
    {
        yield return ("fast (wave)", StyleTransferFactory.Create("fast", new Dictionary<string, string> { ["style"] = "wave" }), [], wave);
        yield return ("arbitrary", StyleTransferFactory.Create("arbitrary"), [style], style);
        yield return ("adain (random weights)", new AdaINMethod(Visible(AdaINBenchmark.RandomModel(), style)), [style], style);
    }

    /// <summary>
    /// A random decoder's output has a spread of thousandths around an arbitrary level, so clamping to [0,1] leaves a flat
    /// image with no flicker to measure: rescale its last convolution so the output spreads ±0.1 around mid-grey.
    /// </summary>
    static AdaINModel Visible(AdaINModel model, Tensor probe)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var last = model.Decoder.parameters().ToList();
        last[^1].zero_();
        var raw = model.Decode(model.Encode(probe));
        last[^2].mul_(0.1 / Math.Max(raw.std().item<float>(), 1e-12));
        last[^1].copy_(0.5 - model.Decode(model.Encode(probe)).mean([0, 2, 3]));
        return model;
    }

    /// <summary>Ruder needs Gatys; features need a decoder input; blend at 0.8 is left to the feed-forward methods (Gatys' table stays short).</summary>
    static bool Applies(IStyleTransfer method, TemporalMode mode, string label) => mode switch
    {
        TemporalMode.Ruder => method is GatysMethod,
        TemporalMode.Features => method is IDecoderInputAccess,
        _ => method is not GatysMethod || label == "blend 0.9",
    };

    static string Versus(FlickerResult baseline, FlickerResult other) =>
        $"{other.WarpingError:F5} | {baseline.WarpingError / other.WarpingError:F1}× | {other.GramLoss / baseline.GramLoss - 1:+0.0%;-0.0%}";

    static string Row(FlowAccuracy a) =>
        $"| {a.Clip} | {a.EndPointError:F3} | {a.MaskAccuracy:P1} | {a.DisocclusionAccuracy:P1} | {(double.IsNaN(a.HiddenMasked) ? "–" : a.HiddenMasked.ToString("P1"))} | {a.VisibleKept:P1} |";

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
