using System.CommandLine;
using Spectre.Console;
using StyleLab.Weights;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab weights convert IN OUT.safetensors</c>: any state-dict format StyleLab reads → safetensors (<see cref="WeightConversion"/>).</summary>
public static class WeightsConvertCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Argument<string>("in") { Description = "A .pth (zip or legacy), .t7 or safetensors file." };
        var output = new Argument<string>("out") { Description = "The safetensors file to write." };
        var command = new Command("convert", "Rewrite a weight file as safetensors, so it is read once and then loaded as plain data.") { input, output };
        command.SetAction(parse =>
        {
            string from = parse.GetValue(input)!, to = parse.GetValue(output)!;
            int count = WeightConversion.ToSafeTensors(from, to);
            console.Out.MarkupLine($"Wrote {count} tensors to {Markup.Escape(to)}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
