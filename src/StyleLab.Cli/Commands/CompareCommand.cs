using System.CommandLine;
using Spectre.Console;
using StyleLab.Evaluation;
using StyleLab.Imaging;
using StyleLab.Methods;
using static TorchSharp.torch;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab compare</c>: the same content × style pairs through every method available here — one grid (rows =
/// methods, columns = pairs), a table of losses, SSIM, time and memory, as compare.html, compare.csv and grid.png.
/// </summary>
public static class CompareCommand
{
    public static Command Create(CliConsole console)
    {
        var content = new Option<string[]>("--content", "-c") { Description = "Content images (files or sample names); repeat. Default: chicago.jpg.", DefaultValueFactory = _ => ["chicago.jpg"] };
        var style = new Option<string[]>("--style", "-s") { Description = "Style images (files or sample names); repeat. Default: Starry.jpg, wave.jpg.", DefaultValueFactory = _ => ["Starry.jpg", "wave.jpg"] };
        var methods = new Option<string>("--methods") { Description = $"Methods to compare, comma-separated (default: all: {string.Join(",", StyleTransferFactory.Methods)}).", DefaultValueFactory = _ => string.Join(",", StyleTransferFactory.Methods) };
        var weights = new Option<string[]>("--weights") { Description = "Weights of a method by role, METHOD:ROLE=FILE, e.g. adain:decoder=run/decoder.pth; repeat (see README for the roles).", AllowMultipleArgumentsPerToken = true };
        var vgg = new Option<string?>("--vgg") { Description = "The VGG-19 that measures every output (default: the best found)." };
        var size = SizeOption.WithDefault("Longest side of every image, in pixels.", 256);
        var quick = new Option<bool>("--quick") { Description = "For CI: at most 128 pixels and 2 pairs, Gatys 30 steps, a short analogy." };
        var output = new Option<string>("--output", "-o") { Description = "Folder for compare.html, compare.csv, grid.png and the images.", Required = true };
        var device = GlobalOptions.Device();
        var command = new Command("compare", "Every method available here on the same content × style pairs: a grid and a table (HTML, CSV).")
        {
            content, style, methods, weights, vgg, size, quick, output, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            bool isQuick = parse.GetValue(quick);
            int pixels = isQuick ? Math.Min(128, parse.GetValue(size)) : parse.GetValue(size);
            var load = InferenceOptions.Loading(pixels);
            var torchDevice = Runtime.TorchRuntime.ParseDevice(parse.GetValue(device));
            var names = parse.GetValue(methods)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            foreach (var n in names.Where(n => !StyleTransferFactory.Methods.Contains(n)))
                throw new UsageException($"--methods: '{n}' is not a method ({string.Join(", ", StyleTransferFactory.Methods)}).");
            var roles = ParseWeights(parse.GetValue(weights) ?? []);
            var contents = (parse.GetValue(content) ?? []).Select(c => InferenceOptions.ResolveImage(c, Data.SampleKind.Content, "--content")).ToList();
            var styles = (parse.GetValue(style) ?? []).Select(s => InferenceOptions.ResolveImage(s, Data.SampleKind.Style, "--style")).ToList();
            var pairNames = contents.SelectMany(c => styles.Select(s => (c, s))).Take(isQuick ? 2 : int.MaxValue).ToList();

            using var scope = NewDisposeScope();
            var pairs = pairNames.Select(p => new ComparisonPair(Path.GetFileName(p.c), ImageIO.Load(p.c, load, torchDevice), Path.GetFileName(p.s), ImageIO.Load(p.s, load, torchDevice))).ToList();
            using var encoder = await EncoderChoice.LoadAsync(console, parse.GetValue(vgg), torchDevice, ct);
            IStyleTransfer Build(string name)
            {
                var given = roles.TryGetValue(name, out var r) ? r : new Dictionary<string, string>();
                if (name == "fast" && !given.ContainsKey("style")) given["style"] = "wave";
                var method = StyleTransferFactory.Create(name, given, torchDevice);
                return isQuick ? MethodComparison.Shortened(method) : method;
            }
            string folder = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(folder);
            MethodComparison comparison = null!;
            await console.Out.Status().StartAsync("comparing", async status =>
            {
                var progress = new Relay(text => status.Status(Markup.Escape(text)));
                comparison = await Task.Run(() => MethodComparison.Run(names, Build, pairs, encoder, progress, ct), ct);
            });
            using (comparison)
            {
                static string FileOf(string method, int pair) => $"{method}-{pair + 1}.png";
                foreach (var cell in comparison.Cells)
                    ImageIO.Save(cell.Image, Path.Combine(folder, FileOf(cell.Method, comparison.Pairs.ToList().FindIndex(p => p.Title == cell.Pair))));
                File.WriteAllText(Path.Combine(folder, "compare.csv"), comparison.ToCsv());
                File.WriteAllText(Path.Combine(folder, "compare.html"), comparison.ToHtml(FileOf));
                if (comparison.Cells.Count > 0) ImageIO.Save(Grid(comparison), Path.Combine(folder, "grid.png"));
                foreach (var cell in comparison.Cells)
                    console.Out.MarkupLine($"{Markup.Escape(cell.Method),-10} {Markup.Escape(cell.Pair)}: {cell.Seconds:F2} s, content {cell.Metrics.ContentLoss:G3}, " +
                        $"Gram {cell.Metrics.GramLoss:G3}, mean/std {cell.Metrics.MeanStdLoss:G3}, SSIM {cell.Metrics.SsimToContent:F3}");
                foreach (var skip in comparison.Skipped)
                    console.Out.MarkupLine($"[grey]skipped {Markup.Escape(skip.Method)}: {Markup.Escape(skip.Reason)}[/]");
                console.Out.MarkupLine($"Wrote [bold]{Markup.Escape(Path.Combine(folder, "compare.html"))}[/] ({comparison.Methods.Count} methods × {comparison.Pairs.Count} pairs, {comparison.Skipped.Count} skipped), compare.csv and grid.png.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One image: rows = methods, columns = pairs, each cell resized to the first cell's size.</summary>
    static Tensor Grid(MethodComparison comparison)
    {
        var first = comparison.Cells[0].Image;
        int h = (int)first.shape[2], w = (int)first.shape[3];
        var rows = comparison.Methods.Select(m => cat(comparison.Cells.Where(c => c.Method == m)
            .Select(c => Resampling.Resize(c.Image, w, h)).ToList(), 3)).ToList();
        return cat(rows, 2);
    }

    /// <summary>METHOD:ROLE=FILE, repeated → method → role → file.</summary>
    internal static Dictionary<string, Dictionary<string, string>> ParseWeights(IEnumerable<string> specs)
    {
        var result = new Dictionary<string, Dictionary<string, string>>();
        foreach (var spec in specs)
        {
            int colon = spec.IndexOf(':'), equals = spec.IndexOf('=');
            if (colon < 1 || equals < colon + 2 || equals == spec.Length - 1)
                throw new UsageException($"--weights: '{spec}' is not METHOD:ROLE=FILE (e.g. adain:decoder=run/decoder.pth).");
            string method = spec[..colon], role = spec[(colon + 1)..equals];
            if (!result.TryGetValue(method, out var roles)) result[method] = roles = new Dictionary<string, string>();
            roles[role] = spec[(equals + 1)..];
        }
        return result;
    }

    sealed class Relay(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
