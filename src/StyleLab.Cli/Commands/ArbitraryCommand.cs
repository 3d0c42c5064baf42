using System.CommandLine;
using StyleLab.Methods;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab arbitrary</c>: Magenta's arbitrary stylisation (Ghiasi et al. 2017) — any painting, one forward
/// pass; styles mix with <c>--mix</c>, and <c>--alpha</c> blends the photo's own style back in.
/// </summary>
public static class ArbitraryCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new InferenceOptions(StyleControl.Alpha | StyleControl.Interpolation);
        var model = new Option<string?>("--model", "-m") { Description = "Folder holding Magenta's .tflite files (default: magenta-arbitrary/tflite under the weights folders)." };
        var command = new Command("arbitrary", "Arbitrary style transfer in one forward pass (Ghiasi et al. 2017, Magenta's networks).") { model };
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var request = options.Bind(parse);
            using var transfer = StylizeRun.Create("arbitrary", new Dictionary<string, string?> { ["folder"] = parse.GetValue(model) }, request);
            return await StylizeRun.RunAsync(console, transfer, request, ct);
        });
        return command;
    }
}
