// The file-based consumer (tests/packages/run.sh): a .NET 10 script with one `#:package` line, outside the
// repository, stylising a photo with a Johnson-style network from STYLELAB_WEIGHTS. The version is filled in
// by run.sh (README: "Use from your own project / script / notebook").
#:package StyleLab@VERSION

using StyleLab.Imaging;
using StyleLab.Methods.FeedForward;
using StyleLab.Runtime;

string data = Environment.GetEnvironmentVariable("STYLELAB_DATA") ?? throw new InvalidOperationException("set STYLELAB_DATA");
using var content = ImageIO.Load(Path.Combine(data, "content", "chicago.jpg"), new ImageLoadOptions { Size = Resize.LongestSide(128) });
string name = FastStyle.AvailableStyles().Keys.First();
using var net = FastStyle.Load(name);
using var stylised = net.Stylize(content);
ImageIO.Save(stylised, "fast-style.png");

Console.WriteLine($"scalar quarantine: {ScalarQuarantine.Status}");
Console.WriteLine($"wrote fast-style.png ({name}, {stylised.shape[3]}×{stylised.shape[2]})");
return ScalarQuarantine.Active || !OperatingSystem.IsLinux() ? 0 : 3;
