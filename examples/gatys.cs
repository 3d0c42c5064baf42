#!/usr/bin/env -S dotnet run
// Gatys, Ecker & Bethge (CVPR 2016) from the command line: the same API as notebooks/01-gatys.ipynb.
//
//   dotnet run examples/gatys.cs -- [--content chicago.jpg] [--style Starry.jpg] [--size 128] [--steps 60]
//                                   [--preserve-color none|luminance|histogram] [--levels 1] [--weights ID|PATH]
//                                   [--device cpu|cuda|auto] [--out gatys.png]
//
// --content/--style take a sample name (found through STYLELAB_DATA, the repository's data/ or the cache) or a
// file path. STYLELAB_EXAMPLES_QUICK=1 (or --quick) shrinks the run to 64 px and 5 steps, for CI.
// The repository's Directory.Build.props/targets apply to this file as to any project: the runtime identifier
// puts libtorch next to TorchSharp.dll and the GLIBCXX patch makes it load on Debian 12.
#:project ../src/StyleLab/StyleLab.csproj
#:property PublishAot=false

using StyleLab.Data;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.Gatys;
using StyleLab.Runtime;
using StyleLab.Weights;

var arguments = Arguments.Parse(args);
bool quick = arguments.Has("quick") || Environment.GetEnvironmentVariable("STYLELAB_EXAMPLES_QUICK") == "1";
int size = arguments.Int("size", quick ? 64 : 128);
int steps = arguments.Int("steps", quick ? 5 : 60);
var device = TorchRuntime.ParseDevice(arguments.Get("device", "cpu"));
string output = arguments.Get("out", "gatys.png");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

using var samples = new SampleData();
string Image(string nameOrPath, SampleKind kind) => File.Exists(nameOrPath) ? nameOrPath : samples.Resolve(kind, nameOrPath);
var load = new ImageLoadOptions { Size = Resize.LongestSide(size) };
using var content = ImageIO.Load(Image(arguments.Get("content", "chicago.jpg"), SampleKind.Content), load, device);
using var style = ImageIO.Load(Image(arguments.Get("style", "Starry.jpg"), SampleKind.Style), load, device);

using var resolver = new WeightResolver();
// The paper's full VGG-19 if present, else the partial copy CI has, else download the full one.
var weights = arguments.Get("weights", "") is { Length: > 0 } chosen ? resolver.Resolve(chosen)
    : resolver.Locate("vgg19-caffe") ?? resolver.Locate("vgg19-caffe-partial") ?? resolver.Resolve("vgg19-caffe");
using var encoder = Vgg19Encoder.Load(weights.Path, device: device);

var options = GatysOptions.For(encoder) with
{
    Steps = steps,
    PyramidLevels = arguments.Int("levels", 1),
    PreserveColor = Enum.Parse<ColorPreservation>(arguments.Get("preserve-color", "none"), ignoreCase: true),
};
Console.WriteLine($"{content.shape[3]}×{content.shape[2]} px, {options.Steps} steps × {options.PyramidLevels} level(s), " +
                  $"weights {Path.GetFileName(weights.Path)} (up to {encoder.DeepestLayer.Name}), {device.type}");

using var result = Gatys.Run(encoder, content, style, options, progress: new ConsoleReport(every: Math.Max(1, steps / 10)),
    cancellationToken: cancel.Token);
ImageIO.Save(result.Image, output);
Console.WriteLine($"wrote {Path.GetFullPath(output)} in {result.Elapsed.TotalSeconds:0.0} s");

/// <summary>Prints the loss terms every few steps (reports arrive synchronously, in order).</summary>
sealed class ConsoleReport(int every) : IProgress<GatysReport>
{
    public void Report(GatysReport report)
    {
        report.Preview?.Dispose();
        if (report.Step % every != 0 && report.Step != report.TotalSteps) return;
        var terms = report.Losses.Where(t => !t.Key.Contains(':')).Select(t => $"{t.Key} {t.Value:G4}");
        Console.WriteLine($"step {report.Step,4}/{report.TotalSteps}  total {report.Total:G4}  {string.Join("  ", terms)}");
    }
}

/// <summary><c>--name value</c> pairs and bare <c>--flag</c>s.</summary>
sealed record Arguments(IReadOnlyDictionary<string, string?> Values)
{
    public static Arguments Parse(string[] args)
    {
        var values = new Dictionary<string, string?>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--")) throw new ArgumentException($"Unexpected argument '{args[i]}'; options look like --size 128.");
            bool hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--");
            values[args[i][2..]] = hasValue ? args[++i] : null;
        }
        return new Arguments(values);
    }

    public bool Has(string name) => Values.ContainsKey(name);
    public string Get(string name, string fallback) => Values.TryGetValue(name, out var v) && v is not null ? v : fallback;
    public int Int(string name, int fallback) => int.TryParse(Get(name, ""), out int v) ? v : fallback;
}
