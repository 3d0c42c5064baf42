using System.CommandLine;
using Spectre.Console;
using StyleLab.Encoders;
using StyleLab.Methods;
using StyleLab.Methods.WCT;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab wct</c>: universal style transfer via feature transforms (Li et al. 2017), coarse to fine.</summary>
public static class WctCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new InferenceOptions(StyleControl.Alpha | StyleControl.Interpolation | StyleControl.Masks | StyleControl.PreserveColor);
        var decoders = new Option<string>("--decoders") { Description = "Folder of decoders (wct-decoder-relu{k}_1.safetensors or the converted official feature_invertor_conv{k}_1.pth).", Required = true };
        var vgg = new Option<string?>("--vgg") { Description = "VGG-19 weights the decoders were trained with: a registry id or a file (default: wct-encoder.safetensors in the decoders' folder, else the best found)." };
        var levels = new Option<string?>("--levels") { Description = "Levels to stylise at, coarse to fine: 1,2,3 (relu1_1, relu2_1, relu3_1) or relu names. Default: every level with a decoder that the VGG reaches." };
        var command = new Command("wct", "Universal style transfer via feature transforms: whitening and colouring, coarse to fine (Li et al. 2017).") { decoders, vgg, levels };
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var request = options.Bind(parse);
            var levelList = ParseLevels(parse.GetValue(levels));
            using var loaded = (WctMethod)StylizeRun.Create("wct", new Dictionary<string, string?> { ["decoders"] = parse.GetValue(decoders), ["vgg"] = parse.GetValue(vgg) }, request);
            using var transfer = loaded.WithOptions(loaded.Options with { Levels = levelList ?? loaded.Options.Levels });
            console.Out.MarkupLine($"[grey]WCT at {string.Join(" → ", transfer.Options.CoarseToFine)}, decoders from {Markup.Escape(Path.GetFullPath(parse.GetValue(decoders)!))}[/]");
            return await StylizeRun.RunAsync(console, transfer, request, ct);
        });
        return command;
    }

    /// <summary>"1,2,3" → relu1_1, relu2_1, relu3_1; ReLU names pass through (checked).</summary>
    internal static List<string>? ParseLevels(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var layers = new List<string>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string name = int.TryParse(part, out int k) ? (k is >= 1 and <= 5 ? $"relu{k}_1" : throw new UsageException($"--levels: {k} is not a level (1 … 5).")) : part;
            try
            {
                if (VggLayers.Get(name).Kind != VggLayerKind.Relu) throw new UsageException($"--levels: {name} is not a ReLU layer.");
            }
            catch (ArgumentException e) { throw new UsageException($"--levels: {e.Message.Split(" (Parameter")[0]}"); }
            layers.Add(name);
        }
        return layers;
    }
}
