using System.CommandLine;
using StyleLab.Imaging;
using StyleLab.Methods.FeedForward;
using StyleLab.Runtime;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab fast</c>: one of the pretrained Johnson/Engstrom networks, one forward pass per image.</summary>
public static class FastCommand
{
    public static Command Create(CliConsole console)
    {
        var style = new Option<string>("--style", "-s")
        {
            Description = $"A style name ({string.Join(", ", FastStyle.KnownStyles)}) found under the weights folders, an ml5 checkpoint folder, or a fast-neural-style .t7 file (Johnson's Lua Torch models).",
            Required = true,
        };
        var content = new Option<string>("--content", "-c") { Description = "The photo to stylise, or a folder of photos.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The result (.png or .jpg), or a folder for a folder of photos.", Required = true };
        var size = new Option<int?>("--size") { Description = "Longest side in pixels (default: the photo's own size)." };
        var device = GlobalOptions.Device();

        var command = new Command("fast", "Real-time style transfer with a pretrained per-style network (Johnson, Alahi & Fei-Fei 2016).")
        {
            style, content, output, size, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            var load = InferenceOptions.Loading(parse.GetValue(size));
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            FastStyle network;
            try { network = FastStyle.Load(parse.GetValue(style)!, torchDevice); }
            catch (ArgumentException e) { throw new UsageException($"--style: {e.Message.Split(" (Parameter")[0]}"); }
            using (network)
            {
                var jobs = ImageJobs.Plan(parse.GetValue(content)!, parse.GetValue(output)!, network.Name);
                var elapsed = await ImageJobs.RunAsync(console, jobs, load, torchDevice, network.Stylize, ct);
                ImageJobs.Print(console, jobs, elapsed);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
