// Feed-forward stylisation: throughput and memory, and a contact sheet to look at.
//
//   dotnet run -c Release --project bench/StyleLab.FeedForwardBench -- speed <style> <size> [seconds]
//       images/second for one <size>² image at a time on the CPU, and the process's peak resident
//       memory (run one size per process: the peak only grows).
//   dotnet run -c Release --project bench/StyleLab.FeedForwardBench -- grid <out.png> <longest side> <photo>...
//       every style found in STYLELAB_WEIGHTS applied to each photo: the photo, then its styles, five to a row.
//   … -- arbitrary-speed <size> [seconds]
//       Magenta's transformer (style predicted once) at <size>², images/second and peak memory.
//   … -- arbitrary-grid <out.png> <longest side> <photos…> -- <paintings…>
//       a row per photo: the photo, then each painting's style; a last row interpolates the first two
//       paintings' styles on the first photo, and one weakens the first style (strength 1 → 0).
using System.Diagnostics;
using StyleLab.Imaging;
using StyleLab.Methods.Arbitrary;
using StyleLab.Methods.FeedForward;
using TorchSharp;
using static TorchSharp.torch;

return args switch
{
    ["speed", var style, var size, .. var rest] => Speed(style, int.Parse(size), rest.Length > 0 ? double.Parse(rest[0]) : 20),
    ["grid", var output, var side, .. var photos] when photos.Length > 0 => Grid(output, int.Parse(side), photos),
    ["arbitrary-speed", var size, .. var rest] => ArbitrarySpeed(int.Parse(size), rest.Length > 0 ? double.Parse(rest[0]) : 20),
    ["arbitrary-grid", var output, var side, .. var files] when files.Contains("--") => ArbitraryGrid(output, int.Parse(side),
        files.TakeWhile(f => f != "--").ToArray(), files.SkipWhile(f => f != "--").Skip(1).ToArray()),
    _ => Usage(),
};

static int Speed(string styleName, int size, double seconds)
{
    using var style = FastStyle.Load(styleName);
    torch.random.manual_seed(0);
    using var image = torch.rand(1, 3, size, size);
    style.Stylize(image).Dispose();   // warm-up: first-call allocations and kernel selection
    var (perSecond, cpuMs, images, best) = Measure(() => style.Stylize(image).Dispose(), seconds);
    Console.WriteLine($"{styleName} {size}x{size}: {perSecond:F2} images/s ({1000 / perSecond:F0} ms/image wall, best {best:F0} ms, {cpuMs:F0} ms CPU/image, {images} images, {torch.get_num_threads()} threads), peak RSS {PeakResidentMiB():F0} MiB");
    return 0;
}

static int Grid(string output, int longestSide, string[] photos)
{
    var styles = FastStyle.AvailableStyles();
    if (styles.Count == 0) { Console.Error.WriteLine("No styles: set STYLELAB_WEIGHTS."); return 1; }
    using var scope = NewDisposeScope();
    var contents = photos.Select(p => ImageIO.Load(p, new ImageLoadOptions { Size = Resize.LongestSide(longestSide) })).ToList();
    var rows = contents.Select(c => new List<Tensor> { c }).ToList();
    foreach (var (name, folder) in styles)
    {
        using var style = FastStyle.Load(folder);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < contents.Count; i++) rows[i].Add(style.Stylize(contents[i]));
        Console.WriteLine($"{name}: {clock.ElapsedMilliseconds} ms for {contents.Count} photos");
    }
    // Each photo's tiles wrap after five; rows of different widths are padded white on the right.
    var strips = rows.SelectMany(r => r.Chunk(5)).Select(tiles => torch.cat(tiles, 3)).ToList();
    long width = strips.Max(s => s.shape[3]);
    var sheet = torch.cat(strips.Select(s => nn.functional.pad(s, [0, width - s.shape[3], 0, 4], value: 1.0)).ToArray(), 2);
    ImageIO.Save(sheet, output);
    Console.WriteLine($"columns: photo, {string.Join(", ", styles.Keys)} → {output} ({sheet.shape[3]}x{sheet.shape[2]})");
    return 0;
}

static int ArbitrarySpeed(int size, double seconds)
{
    using var magenta = ArbitraryStyle.Load();
    torch.random.manual_seed(0);
    using var style = magenta.PredictStyle(torch.rand(1, 3, 256, 256));
    using var image = torch.rand(1, 3, size, size);
    magenta.Stylize(image, style).Dispose();
    var (perSecond, cpuMs, images, best) = Measure(() => magenta.Stylize(image, style).Dispose(), seconds);
    using var painting = torch.rand(1, 3, 256, 256);
    var (_, predictCpuMs, _, predictBest) = Measure(() => magenta.PredictStyle(painting).Dispose(), 3);
    Console.WriteLine($"magenta {size}x{size}: {perSecond:F2} images/s ({1000 / perSecond:F0} ms/image wall, best {best:F0} ms, {cpuMs:F0} ms CPU/image, {images} images); " +
        $"style prediction best {predictBest:F0} ms, {predictCpuMs:F0} ms CPU; peak RSS {PeakResidentMiB():F0} MiB");
    return 0;
}

static int ArbitraryGrid(string output, int longestSide, string[] photos, string[] paintings)
{
    using var magenta = ArbitraryStyle.Load();
    using var scope = NewDisposeScope();
    var load = (string p) => ImageIO.Load(p, new ImageLoadOptions { Size = Resize.LongestSide(longestSide) });
    var contents = photos.Select(load).ToList();
    var styles = paintings.Select(p => magenta.PredictStyle(ImageIO.Load(p))).ToList();
    // Paintings shown as squares of the first photo's height, as the predictor sees them (centre crop).
    long side = contents[0].shape[2];
    var thumbnails = paintings.Select(p => Resampling.Resize(CentreSquare(ImageIO.Load(p)), (int)side, (int)side)).ToList();
    var rows = new List<Tensor[]>();
    rows.Add([Blank(contents[0]), .. thumbnails]);
    var clock = Stopwatch.StartNew();
    foreach (var content in contents) rows.Add([content, .. styles.Select(s => magenta.Stylize(content, s))]);
    Console.WriteLine($"{contents.Count * styles.Count} stylisations in {clock.ElapsedMilliseconds} ms");
    double[] steps = [1, 0.75, 0.5, 0.25, 0];
    if (styles.Count >= 2)
        rows.Add([contents[0], .. steps.Select(t => magenta.Stylize(contents[0], ArbitraryStyle.Interpolate([styles[0], styles[1]], [t, 1 - t])))]);
    rows.Add([contents[0], .. steps.Select(t => magenta.Stylize(contents[0], magenta.BlendWithContentStyle(contents[0], styles[0], t)))]);
    var strips = rows.Select(r => torch.cat(r.Select(t => t.shape[2] == side ? t : Resampling.Resize(t, (int)(t.shape[3] * side / t.shape[2]), (int)side)).ToArray(), 3)).ToList();
    long width = strips.Max(s => s.shape[3]);
    var sheet = torch.cat(strips.Select(s => nn.functional.pad(s, [0, width - s.shape[3], 0, 4], value: 1.0)).ToArray(), 2);
    ImageIO.Save(sheet, output);
    Console.WriteLine($"rows: paintings; one per photo; interpolation {string.Join("/", steps)} of the first two; strength {string.Join("/", steps)} of the first → {output}");
    return 0;

    static Tensor CentreSquare(Tensor image)
    {
        long s = Math.Min(image.shape[2], image.shape[3]);
        return image.narrow(2, (image.shape[2] - s) / 2, s).narrow(3, (image.shape[3] - s) / 2, s);
    }

    static Tensor Blank(Tensor like) => torch.ones_like(like);
}

// Wall time shows throughput on this machine as it is; CPU time per image is what the work costs,
// and is far less disturbed when other processes share the cores.
// The fastest single image is the best estimate of an unshared machine.
static (double PerSecond, double CpuMsPerImage, int Images, double BestMs) Measure(Action stylise, double seconds)
{
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    int images = 0;
    double best = double.MaxValue;
    while (clock.Elapsed.TotalSeconds < seconds || images < 3)
    {
        var one = Stopwatch.StartNew();
        stylise();
        best = Math.Min(best, one.Elapsed.TotalMilliseconds);
        images++;
    }
    process.Refresh();
    return (images / clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalMilliseconds / images, images, best);
}

static double PeakResidentMiB() =>
    File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:"))
        .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).FirstOrDefault();

static int Usage()
{
    Console.Error.WriteLine("usage: speed <style> <size> [seconds] | grid <out.png> <longest side> <photo>... | arbitrary-speed <size> [seconds] | arbitrary-grid <out.png> <longest side> <photo>... -- <painting>...");
    return 2;
}
