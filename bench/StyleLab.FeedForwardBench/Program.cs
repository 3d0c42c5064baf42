// Feed-forward stylisation: throughput and memory, and a contact sheet to look at.
//
//   dotnet run -c Release --project bench/StyleLab.FeedForwardBench -- speed <style> <size> [seconds]
//       images/second for one <size>² image at a time on the CPU, and the process's peak resident
//       memory (run one size per process: the peak only grows).
//   dotnet run -c Release --project bench/StyleLab.FeedForwardBench -- grid <out.png> <longest side> <photo>...
//       every style found in STYLELAB_WEIGHTS applied to each photo: the photo, then its styles, five to a row.
using System.Diagnostics;
using StyleLab.Imaging;
using StyleLab.Methods.FeedForward;
using TorchSharp;
using static TorchSharp.torch;

return args switch
{
    ["speed", var style, var size, .. var rest] => Speed(style, int.Parse(size), rest.Length > 0 ? double.Parse(rest[0]) : 20),
    ["grid", var output, var side, .. var photos] when photos.Length > 0 => Grid(output, int.Parse(side), photos),
    _ => Usage(),
};

static int Speed(string styleName, int size, double seconds)
{
    using var style = FastStyle.Load(styleName);
    torch.random.manual_seed(0);
    using var image = torch.rand(1, 3, size, size);
    style.Stylize(image).Dispose();   // warm-up: first-call allocations and kernel selection
    var clock = Stopwatch.StartNew();
    int images = 0;
    while (clock.Elapsed.TotalSeconds < seconds || images < 3)
    {
        style.Stylize(image).Dispose();
        images++;
    }
    double perSecond = images / clock.Elapsed.TotalSeconds;
    Console.WriteLine($"{styleName} {size}x{size}: {perSecond:F2} images/s ({1000 / perSecond:F0} ms/image, {images} images, {torch.get_num_threads()} threads), peak RSS {PeakResidentMiB():F0} MiB");
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

static double PeakResidentMiB() =>
    File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:"))
        .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).FirstOrDefault();

static int Usage()
{
    Console.Error.WriteLine("usage: speed <style> <size> [seconds] | grid <out.png> <longest side> <photo>...");
    return 2;
}
