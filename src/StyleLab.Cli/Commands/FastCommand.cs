using System.CommandLine;
using StyleLab.Methods;
using StyleLab.Methods.FeedForward;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab fast</c>: one of the pretrained Johnson/Engstrom networks, one forward pass per image.</summary>
public static class FastCommand
{
    public static Command Create(CliConsole console)
    {
        // The style is in the network's weights: --style names the network, not a painting.
        var options = new InferenceOptions(StyleControl.None, styleImages: false);
        var style = new Option<string>("--style", "-s")
        {
            Description = $"A style name ({string.Join(", ", FastStyle.KnownStyles)}) found under the weights folders, an ml5 checkpoint folder, or a fast-neural-style .t7 file (Johnson's Lua Torch models).",
            Required = true,
        };
        var command = new Command("fast", "Real-time style transfer with a pretrained per-style network (Johnson, Alahi & Fei-Fei 2016).") { style };
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var request = options.Bind(parse);
            string name = parse.GetValue(style)!;
            bool t7File = name.EndsWith(".t7", StringComparison.OrdinalIgnoreCase) && File.Exists(name);
            if (!t7File && !Directory.Exists(name) && !FastStyle.KnownStyles.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new UsageException($"--style: '{name}' is neither a style ({string.Join(", ", FastStyle.KnownStyles)}), a checkpoint folder nor a .t7 file.");
            using var transfer = (FastStyleMethod)StylizeRun.Create("fast", new Dictionary<string, string?> { ["style"] = name }, request);
            return await StylizeRun.RunAsync(console, transfer, request, ct, suffix: transfer.Network.Name);
        });
        return command;
    }
}
