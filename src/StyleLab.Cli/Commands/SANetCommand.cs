using System.CommandLine;
using Spectre.Console;
using StyleLab.Methods;
using StyleLab.Methods.SANet;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab sanet</c>: arbitrary style transfer with style-attentional networks (Park &amp; Lee 2019).</summary>
public static class SANetCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new InferenceOptions(StyleControl.Alpha | StyleControl.Interpolation | StyleControl.Masks);
        var transformer = new Option<string?>("--transformer") { Description = "Transformer weights: a file or registry id (default: sanet-transformer)." };
        var decoder = new Option<string?>("--decoder") { Description = "Decoder weights: a file or registry id (default: sanet-decoder)." };
        var vgg = new Option<string?>("--vgg") { Description = "VGG-19 weights: a file or registry id (default: vgg.safetensors next to the transformer, as `train sanet` writes it; else sanet-vgg for 512-channel models)." };
        var levels = new Option<string>("--levels") { Description = "both, or one layer only (e.g. relu4_1 or relu5_1): the level ablation.", DefaultValueFactory = _ => "both" };
        var command = new Command("sanet", "Arbitrary style transfer with style-attentional networks (Park & Lee 2019).") { transformer, decoder, vgg, levels };
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var request = options.Bind(parse);
            using var loaded = (SANetMethod)StylizeRun.Create("sanet", new Dictionary<string, string?>
            {
                ["transformer"] = parse.GetValue(transformer), ["decoder"] = parse.GetValue(decoder), ["vgg"] = parse.GetValue(vgg),
            }, request);
            using var transfer = loaded.WithLevels(ParseLevels(parse.GetValue(levels)!, loaded.Model.Layers));
            console.Out.MarkupLine($"[grey]SANet at {loaded.Model.Layers}, levels {transfer.Levels.ToString().ToLowerInvariant()}[/]");
            return await StylizeRun.RunAsync(console, transfer, request, ct);
        });
        return command;
    }

    internal static SANetLevels ParseLevels(string text, SANetLayers layers) => text.Trim().ToLowerInvariant() switch
    {
        "both" or "all" => SANetLevels.Both,
        var t when t == layers.Shallow || t == "shallow" => SANetLevels.Shallow,
        var t when t == layers.Deep || t == "deep" => SANetLevels.Deep,
        _ => throw new UsageException($"--levels must be both, {layers.Shallow} or {layers.Deep} for this model, not '{text}'."),
    };
}
