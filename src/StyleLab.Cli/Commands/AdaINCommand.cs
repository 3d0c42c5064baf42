using System.CommandLine;
using Spectre.Console;
using StyleLab.Methods;
using StyleLab.Methods.AdaIN;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab adain</c>: arbitrary style transfer in one forward pass (Huang &amp; Belongie 2017) with the
/// paper's controls — α, interpolation between styles, masks, colour preservation.
/// </summary>
public static class AdaINCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new InferenceOptions(StyleControl.Alpha | StyleControl.Interpolation | StyleControl.Masks | StyleControl.PreserveColor);
        var decoder = new Option<string?>("--decoder") { Description = "Decoder state dict (.pth/.safetensors) or registry id (default: adain-decoder)." };
        var vgg = new Option<string?>("--vgg") { Description = "VGG-19 weights the decoder was trained with (default: adain-vgg-normalised for a relu4_1 decoder, vgg19-caffe-partial for shallower ones)." };
        var command = new Command("adain", "Arbitrary style transfer with adaptive instance normalisation (Huang & Belongie 2017).") { decoder, vgg };
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var request = options.Bind(parse);
            using var transfer = StylizeRun.Create("adain", new Dictionary<string, string?> { ["decoder"] = parse.GetValue(decoder), ["vgg"] = parse.GetValue(vgg) }, request);
            console.Out.MarkupLine($"[grey]AdaIN at {((AdaINMethod)transfer).Model.Layer}[/]");
            return await StylizeRun.RunAsync(console, transfer, request, ct);
        });
        return command;
    }
}
