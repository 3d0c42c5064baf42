// The console consumer (tests/packages/run.sh): a project made by `dotnet new console` with nothing but
// `<PackageReference Include="StyleLab" />`, outside the repository, running Gatys et al. at 64 px.
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.Gatys;
using StyleLab.Runtime;
using StyleLab.Weights;

string data = Environment.GetEnvironmentVariable("STYLELAB_DATA") ?? throw new InvalidOperationException("set STYLELAB_DATA");
var load = new ImageLoadOptions { Size = Resize.LongestSide(64) };
using var content = ImageIO.Load(Path.Combine(data, "content", "chicago.jpg"), load);
using var style = ImageIO.Load(Path.Combine(data, "style", "Starry.jpg"), load);

using var resolver = new WeightResolver();
var weights = resolver.Locate("vgg19-caffe") ?? resolver.Locate("vgg19-caffe-partial")
    ?? throw new InvalidOperationException("no VGG-19 weights under STYLELAB_WEIGHTS");
using var encoder = Vgg19Encoder.Load(weights.Path);
using var result = Gatys.Run(encoder, content, style, GatysOptions.For(encoder) with { Steps = 5 });
ImageIO.Save(result.Image, "gatys.png");

Console.WriteLine($"natives: {TorchRuntime.NativeDirectory}");
Console.WriteLine($"scalar quarantine: {ScalarQuarantine.Status}");
Console.WriteLine($"wrote gatys.png ({result.Image.shape[3]}×{result.Image.shape[2]}) in {result.Elapsed.TotalSeconds:0.0} s");
return ScalarQuarantine.Active || !OperatingSystem.IsLinux() ? 0 : 3;
