#!/usr/bin/env -S dotnet run
// Deep Image Analogy (Liao et al., SIGGRAPH 2017): A′ has the structure of photo A and the appearance
// of painting B′ (and B the reverse), through bidirectional PatchMatch over VGG-19 features. The same
// API as notebooks/07-deep-image-analogy.ipynb.
//
//   dotnet run examples/analogy.cs -- [A.jpg] [B′.jpg] [output folder]
//
// Images are sample names (STYLELAB_DATA, data/, the cache) or file paths; VGG-19 comes from the weight
// resolver (full Caffe weights when present, else the partial copy). STYLELAB_EXAMPLES_QUICK=1 works at
// 64 px with few iterations, for CI.
#:project ../src/StyleLab/StyleLab.csproj
#:property PublishAot=false

using StyleLab.Data;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.DeepAnalogy;
using StyleLab.Weights;

bool quick = Environment.GetEnvironmentVariable("STYLELAB_EXAMPLES_QUICK") == "1";
string aName = args.Length > 0 ? args[0] : "chicago.jpg";
string bName = args.Length > 1 ? args[1] : "Starry.jpg";
string output = Directory.CreateDirectory(args.Length > 2 ? args[2] : "analogy").FullName;

using var samples = new SampleData();
string Find(string nameOrPath, SampleKind kind) => File.Exists(nameOrPath) ? nameOrPath : samples.Resolve(kind, nameOrPath);
var load = new ImageLoadOptions { Size = Resize.LongestSide(quick ? 64 : 224) };
using var a = ImageIO.Load(Find(aName, SampleKind.Content), load);
using var bPrime = ImageIO.Load(Find(bName, SampleKind.Style), load);

using var resolver = new WeightResolver();
var weights = resolver.Locate("vgg19-caffe") ?? resolver.Locate("vgg19-caffe-partial") ?? resolver.Resolve("vgg19-caffe");
using var encoder = Vgg19Encoder.Load(weights.Path);
var options = DeepAnalogyOptions.For(encoder);
if (quick) options = options with { PatchMatchIterations = 3, DeconvolutionIterations = 5 };

using var result = DeepImageAnalogy.Run(encoder, a, bPrime, options);
ImageIO.Save(result.APrime, Path.Combine(output, "A-prime.png"));
ImageIO.Save(result.B, Path.Combine(output, "B.png"));
foreach (var (stage, time) in result.TimeByStage) Console.WriteLine($"{stage,-20} {time.TotalSeconds,6:0.00} s");
Console.WriteLine($"wrote A′ and B to {output}");
