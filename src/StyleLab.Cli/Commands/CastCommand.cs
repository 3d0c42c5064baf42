using System.CommandLine;
using StyleLab.Methods;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab cast</c>: stylisation with CAST's generator, Dec_B(AdaIN(E(photo), E(painting))) (Zhang et al. 2022).</summary>
public static class CastCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new InferenceOptions(StyleControl.None);
        var model = new Option<string?>("--model", "-m") { Description = "A folder with latest_net_AE and latest_net_Dec_B (.pth or .safetensors): the official checkpoints folder, or `stylelab train cast --out`." };
        var encoder = new Option<string?>("--encoder", "--ae") { Description = "The encoder checkpoint (official latest_net_AE.pth, or a vgg_normalised.pth to start from); overrides --model." };
        var decoder = new Option<string?>("--decoder", "--dec-b") { Description = "The artistic-domain decoder (official latest_net_Dec_B.pth); overrides --model." };
        var command = new Command("cast", "Arbitrary style transfer with CAST's generator: Dec_B(AdaIN(E(photo), E(painting))) (Zhang et al. 2022).") { model, encoder, decoder };
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var request = options.Bind(parse);
            using var transfer = StylizeRun.Create("cast", new Dictionary<string, string?>
            {
                ["model"] = parse.GetValue(model), ["encoder"] = parse.GetValue(encoder), ["decoder"] = parse.GetValue(decoder),
            }, request);
            return await StylizeRun.RunAsync(console, transfer, request, ct);
        });
        return command;
    }
}
