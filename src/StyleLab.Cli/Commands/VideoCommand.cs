using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using StyleLab.Imaging;
using StyleLab.Methods;
using StyleLab.Methods.Gatys;
using StyleLab.Runtime;
using StyleLab.Video;
using static TorchSharp.torch;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab video</c>: a video stylised frame by frame through any method (by name), per frame or with temporal
/// consistency (flow-warped blending; Ruder et al. for Gatys), frames streamed through FFmpeg, audio and frame rate
/// kept, the warping error (flicker) reported. Ctrl+C closes the output cleanly: the frames so far stay playable.
/// </summary>
public static class VideoCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Option<string>("--input", "-i") { Description = "The video to stylise (mp4, webm, gif, mkv, … anything FFmpeg reads).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The result: .mp4 (H.264), .mov, .mkv, .webm (VP9) or .gif.", Required = true };
        var method = new Option<string>("--method", "-m") { Description = $"The method ({string.Join(", ", StyleTransferFactory.Methods)}).", DefaultValueFactory = _ => "fast" };
        var style = new Option<string[]>("--style", "-s") { Description = "A style image (file or sample name); repeat for several. For fast: the style's name (wave, …).", AllowMultipleArgumentsPerToken = true };
        var weights = new Option<string[]>("--weights") { Description = "The method's weights by role, ROLE=FILE (e.g. decoder=run/decoder.pth); repeat.", AllowMultipleArgumentsPerToken = true };
        var temporal = EnumOption.Create<TemporalMode>("--temporal", "Temporal consistency: none (per frame), blend (warped previous output, any method), features (warped decoder input: fast, arbitrary, adain) or ruder (Gatys). Default: blend, ruder for gatys.");
        var strength = new Option<double>("--strength") { Description = "blend, features: how much of the warped previous frame consistent pixels keep, in [0,1] (features: 0.5 keeps the style).", DefaultValueFactory = _ => VideoOptions.Default.Strength };
        var alpha = new Option<double>("--alpha") { Description = "Content–style trade-off α in [0,1], for methods that have one.", DefaultValueFactory = _ => 1.0 };
        var size = new Option<int?>("--size") { Description = "Longest side of the frames in pixels (default 256; 0 = the video's own size).", DefaultValueFactory = _ => 256 };
        var steps = new Option<int?>("--steps") { Description = "gatys: optimisation steps per frame (default: the preset's)." };
        var maxFrames = new Option<int?>("--frames") { Description = "Stop after this many frames." };
        var force = OutputFiles.ForceOption();
        var device = GlobalOptions.Device();
        var command = new Command("video", "Stylise a video: any method, per frame or temporally consistent (optical flow), audio and frame rate kept.")
        {
            input, output, force, method, style, weights, temporal, strength, alpha, size, steps, maxFrames, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            if (!File.Exists(inPath)) throw new UsageException($"--input: '{inPath}' does not exist.");
            OutputFiles.Check(outPath, parse.GetValue(force), inPath);
            string name = parse.GetValue(method)!;
            if (!StyleTransferFactory.Methods.Contains(name)) throw new UsageException($"--method: '{name}' is not a method ({string.Join(", ", StyleTransferFactory.Methods)}).");
            var mode = parse.GetValue(temporal) ?? (name == "gatys" ? TemporalMode.Ruder : TemporalMode.Blend);
            double s = parse.GetValue(strength), a = parse.GetValue(alpha);
            if (!(s >= 0 && s <= 1)) throw new UsageException($"--strength must lie in [0, 1], not {s}.");
            if (!(a >= 0 && a <= 1)) throw new UsageException($"--alpha must lie in [0, 1], not {a}.");
            int? pixels = parse.GetValue(size) is 0 ? null : parse.GetValue(size);
            if (pixels is { } side) SizeOption.Check(side);
            if (parse.GetValue(maxFrames) is < 1) throw new UsageException("--frames must be at least 1.");
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            var roles = (parse.GetValue(weights) ?? []).Select(w => w.Split('=', 2)).ToDictionary(
                p => p.Length == 2 && p[0].Length > 0 ? p[0] : throw new UsageException($"--weights: '{string.Join("=", p)}' is not ROLE=FILE."), p => (string?)p[1]);
            var styleArgs = (parse.GetValue(style) ?? []).ToList();
            if (name == "fast")
            {
                if (styleArgs.Count > 1) throw new UsageException("--style: fast takes one style name (wave, udnie, …).");
                if (styleArgs.Count == 1) roles["style"] = styleArgs[0];
                else roles.TryAdd("style", "wave");
                styleArgs.Clear();
            }
            if (mode == TemporalMode.Ruder && name != "gatys") throw new UsageException($"--temporal ruder is Ruder et al.'s optimisation for gatys; use blend for {name}.");

            var request = new InferenceRequest(inPath, [], StyleControls.Default, [], outPath, torchDevice);
            using var built = StylizeRun.Create(name, roles, request);
            using var shortened = built is GatysMethod g && parse.GetValue(steps) is { } n
                ? new GatysMethod(g.Encoder, g.Options with { Steps = n }, g.WeightFiles, ownsEncoder: false) : null;
            var transfer = (IStyleTransfer?)shortened ?? built;
            var styles = styleArgs.Select(x => ImageIO.Load(InferenceOptions.ResolveImage(x, Data.SampleKind.Style, "--style"), InferenceOptions.Loading(pixels ?? 512), torchDevice)).ToList();
            try
            {
                if (styles.Count < transfer.StyleCount.Min || styles.Count > transfer.StyleCount.Max)
                    throw new UsageException($"--style: {name} takes {transfer.StyleCount.Min}–{transfer.StyleCount.Max} style images; got {styles.Count}.");
                var options = VideoOptions.Default with { Temporal = mode, Strength = s, Controls = StyleControls.Default with { Alpha = a } };
                return await RunAsync(console, transfer, styles, options, inPath, outPath, pixels, parse.GetValue(maxFrames), torchDevice, ct);
            }
            finally
            {
                foreach (var t in styles) t.Dispose();
            }
        });
        return command;
    }

    static async Task<int> RunAsync(CliConsole console, IStyleTransfer transfer, IReadOnlyList<Tensor> styles, VideoOptions options,
        string inPath, string outPath, int? pixels, int? maxFrames, Device device, CancellationToken ct)
    {
        using var reader = new VideoReader(inPath, pixels, device);
        int total = Math.Min(maxFrames ?? int.MaxValue, reader.Info.Frames ?? int.MaxValue);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
        if (folder is not null) Directory.CreateDirectory(folder);
        var errors = new List<double>();
        var clock = Stopwatch.StartNew();
        using var writer = new VideoWriter(outPath, reader.Width, reader.Height, reader.Info.FrameRate, reader.Info.HasAudio ? inPath : null);
        try
        {
            using var stylizer = new VideoStylizer(transfer, styles, options);
            await console.Out.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("frames", maxValue: total == int.MaxValue ? 1 : total);
                    await Task.Run(() =>
                    {
                        while (writer.Count < total && reader.Read() is { } frame)
                        {
                            using var scope = NewDisposeScope();
                            using var result = stylizer.Next(frame, cancellationToken: ct);
                            writer.Write(result.Image);
                            if (result.WarpingError is { } e) errors.Add(e);
                            double fps = writer.Count / clock.Elapsed.TotalSeconds;
                            task.Description = $"frame {writer.Count}{(total == int.MaxValue ? "" : "/" + total)} · {fps:F1} fps" +
                                (errors.Count > 0 ? $" · warping error {errors.Average():F4}" : "");
                            task.Value = total == int.MaxValue ? 0 : writer.Count;
                        }
                        task.Value = task.MaxValue;
                    }, ct);
                });
        }
        catch (OperationCanceledException)
        {
            writer.Close();
            console.Error.WriteLine($"stopped after {writer.Count} frames; '{outPath}' holds them and plays.");
            throw;
        }
        writer.Close();
        double seconds = clock.Elapsed.TotalSeconds;
        console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(outPath)}[/]: {writer.Count} frames at {reader.Width}×{reader.Height}, {reader.Info.FrameRate} fps" +
            $"{(reader.Info.HasAudio ? ", audio kept" : "")}; {writer.Count / seconds:F2} frames/s.");
        if (errors.Count > 0)
            console.Out.MarkupLine($"[grey]{Markup.Escape(transfer.Method)}, temporal {options.Temporal.ToString().ToLowerInvariant()}: mean warping error {errors.Average():F5} (Lai et al.; lower = less flicker)[/]");
        return ExitCodes.Success;
    }
}
