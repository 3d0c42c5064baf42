using System.CommandLine;
using System.Globalization;
using StyleLab.Imaging;
using StyleLab.Methods.Arbitrary;
using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab arbitrary</c>: Magenta's arbitrary style transfer with any painting (Ghiasi et al. 2017).</summary>
public static class ArbitraryCommand
{
    public static Command Create(CliConsole console)
    {
        var style = new Option<FileInfo[]>("--style", "-s")
        {
            Description = "The painting whose style to use; repeat to mix several styles.",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var mix = new Option<string?>("--mix") { Description = "Weights of the repeated --style paintings, e.g. 0.7,0.3 (default: equal)." };
        var strength = new Option<double>("--strength") { Description = "Style strength in [0,1]: lower blends in the photo's own style.", DefaultValueFactory = _ => 1.0 };
        var content = new Option<string>("--content", "-c") { Description = "The photo to stylise, or a folder of photos.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The result (.png or .jpg), or a folder for a folder of photos.", Required = true };
        var size = new Option<int?>("--size") { Description = "Longest side in pixels (default: the photo's own size)." };
        var weights = new Option<string?>("--weights") { Description = "Folder holding Magenta's .tflite files (default: magenta-arbitrary/tflite under the weights folders)." };
        var device = GlobalOptions.Device();
        style.AcceptExistingOnly();

        var command = new Command("arbitrary", "Arbitrary style transfer in one forward pass (Ghiasi et al. 2017, Magenta's networks).")
        {
            style, mix, strength, content, output, size, weights, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            var paintings = parse.GetValue(style)!;
            var mixture = Mixture(parse.GetValue(mix), paintings.Length);
            double alpha = parse.GetValue(strength);
            if (alpha is < 0 or > 1) throw new UsageException($"--strength must be in [0, 1], not {alpha}.");
            var jobs = ImageJobs.Plan(parse.GetValue(content)!, parse.GetValue(output)!, Path.GetFileNameWithoutExtension(paintings[0].Name));
            var load = FastCommand.Loading(parse.GetValue(size));
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));

            ArbitraryStyle magenta;
            try { magenta = ArbitraryStyle.Load(parse.GetValue(weights), device: torchDevice); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            using (magenta)
            {
                var styles = paintings.Select(p => { using var image = ImageIO.Load(p.FullName, device: torchDevice); return magenta.PredictStyle(image); }).ToList();
                using var bottleneck = ArbitraryStyle.Interpolate(styles, mixture);
                foreach (var s in styles) s.Dispose();
                var elapsed = await ImageJobs.RunAsync(console, jobs, load, torchDevice, photo =>
                {
                    if (alpha >= 1) return magenta.Stylize(photo, bottleneck);
                    using var blended = magenta.BlendWithContentStyle(photo, bottleneck, alpha);
                    return magenta.Stylize(photo, blended);
                }, ct);
                ImageJobs.Print(console, jobs, elapsed);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    static double[] Mixture(string? text, int count)
    {
        if (string.IsNullOrWhiteSpace(text)) return Enumerable.Repeat(1.0, count).ToArray();
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != count) throw new UsageException($"--mix has {parts.Length} weights for {count} --style paintings.");
        return parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w >= 0
            ? w : throw new UsageException($"--mix: '{p}' is not a non-negative number.")).ToArray();
    }
}
