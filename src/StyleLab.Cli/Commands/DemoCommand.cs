using System.CommandLine;
using Spectre.Console;
using StyleLab.Data;
using StyleLab.Imaging;
using StyleLab.Methods.Gatys;
using StyleLab.Runtime;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab demo</c>: the one-command tour — a sample photo (chicago.jpg) in the style of a sample
/// painting (Starry.jpg), with whatever VGG-19 weights are found and <see cref="GatysOptions.For"/> them.
/// </summary>
public static class DemoCommand
{
    public const string Content = "chicago.jpg";
    public const string Style = "Starry.jpg";

    public static Command Create(CliConsole console)
    {
        var output = new Option<string>("--output", "-o") { Description = "Where to write the result.", DefaultValueFactory = _ => "stylelab-demo.png" };
        var size = SizeOption.WithDefault("Longest side in pixels.", 256);
        var force = OutputFiles.ForceOption();
        var steps = new Option<int?>("--steps") { Description = "Optimisation steps (default: the preset's)." };
        var device = GlobalOptions.Device();
        var command = new Command("demo", $"Stylise the sample photo {Content} with the sample painting {Style}.") { output, force, size, steps, device };
        command.SetAction(async (parse, ct) =>
        {
            int pixels = parse.GetValue(size);
            OutputFiles.Check(parse.GetValue(output)!, parse.GetValue(force));
            if (parse.GetValue(steps) is < 1) throw new UsageException("--steps must be at least 1.");
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));

            using var data = new SampleData();
            string contentPath = await data.ResolveAsync(SampleKind.Content, Content, cancellationToken: ct);
            string stylePath = await data.ResolveAsync(SampleKind.Style, Style, cancellationToken: ct);
            console.Out.MarkupLine($"[grey]content {Markup.Escape(contentPath)}, style {Markup.Escape(stylePath)}[/]");

            using var encoder = await EncoderChoice.LoadAsync(console, null, torchDevice, ct);
            var options = GatysOptions.For(encoder);
            if (parse.GetValue(steps) is { } n) options = options with { Steps = n };

            var load = new ImageLoadOptions { Size = Resize.LongestSide(pixels) };
            using var content = ImageIO.Load(contentPath, load, torchDevice);
            using var style = ImageIO.Load(stylePath, load, torchDevice);
            var summary = await GatysSession.RunAsync(console, encoder, content, style, options, parse.GetValue(output)!, ct);
            GatysSession.Print(console, summary);
            return ExitCodes.Success;
        });
        return command;
    }
}
