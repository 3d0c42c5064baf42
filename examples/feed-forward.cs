#!/usr/bin/env -S dotnet run
// Feed-forward stylisation (Johnson et al. 2016; Ghiasi et al. 2017): one forward pass per image, the
// same API as notebooks/08-feed-forward.ipynb.
//
//   dotnet run examples/feed-forward.cs -- [content.jpg] [painting.jpg] [output folder]
//
// Writes <style>.png for each of the nine ml5 networks found and arbitrary.png (Magenta, any painting).
// Photos and paintings are sample names (STYLELAB_DATA, data/, the cache) or file paths; the weights
// come from STYLELAB_WEIGHTS (fast-style-ml5/, magenta-arbitrary/tflite/). STYLELAB_EXAMPLES_QUICK=1
// shrinks the images to 128 px and uses three styles, for CI.
#:project ../src/StyleLab/StyleLab.csproj
#:property PublishAot=false

using System.Diagnostics;
using StyleLab.Data;
using StyleLab.Imaging;
using StyleLab.Methods.Arbitrary;
using StyleLab.Methods.FeedForward;

bool quick = Environment.GetEnvironmentVariable("STYLELAB_EXAMPLES_QUICK") == "1";
string contentName = args.Length > 0 ? args[0] : "chicago.jpg";
string paintingName = args.Length > 1 ? args[1] : "Starry.jpg";
string output = Directory.CreateDirectory(args.Length > 2 ? args[2] : "feed-forward").FullName;

using var samples = new SampleData();
string Find(string nameOrPath, SampleKind kind) => File.Exists(nameOrPath) ? nameOrPath : samples.Resolve(kind, nameOrPath);
var load = new ImageLoadOptions { Size = Resize.LongestSide(quick ? 128 : 512) };
using var content = ImageIO.Load(Find(contentName, SampleKind.Content), load);
using var painting = ImageIO.Load(Find(paintingName, SampleKind.Style), new ImageLoadOptions { Size = Resize.Exact(256, 256) });

// Johnson: one network per style.
var styles = FastStyle.AvailableStyles().Keys.Take(quick ? 3 : int.MaxValue).ToList();
if (styles.Count == 0) Console.WriteLine("no fast-style networks found (set STYLELAB_WEIGHTS; see README, Weights and data)");
foreach (var name in styles)
{
    var clock = Stopwatch.StartNew();
    using var net = FastStyle.Load(name);
    using var stylised = net.Stylize(content);
    ImageIO.Save(stylised, Path.Combine(output, $"{name}.png"));
    Console.WriteLine($"{name,-14} {clock.ElapsedMilliseconds,6} ms (load + stylise)");
}

// Ghiasi / Magenta: any painting → a 100-d style vector → the stylised photo.
{
    var clock = Stopwatch.StartNew();
    using var magenta = ArbitraryStyle.Load();
    using var style = magenta.PredictStyle(painting);
    using var stylised = magenta.Stylize(content, style);
    ImageIO.Save(stylised, Path.Combine(output, "arbitrary.png"));
    Console.WriteLine($"{"arbitrary",-14} {clock.ElapsedMilliseconds,6} ms (load + predict + stylise) with {paintingName}");
}
Console.WriteLine($"wrote {output}");
