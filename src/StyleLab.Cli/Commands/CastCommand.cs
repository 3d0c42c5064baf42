using System.CommandLine;
using StyleLab.Decoders;
using StyleLab.Methods.CAST;
using StyleLab.Runtime;
using StyleLab.Weights;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab cast</c>: CAST's generator (Zhang et al. 2022) with official or StyleLab-trained weights.</summary>
public static class CastCommand
{
    public static Command Create(CliConsole console)
    {
        var content = new Option<string>("--content", "-c") { Description = "The photo to stylise, or a folder of photos.", Required = true };
        var style = new Option<string>("--style", "-s") { Description = "The painting whose style to use.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The result (.png or .jpg), or a folder for a folder of photos.", Required = true };
        var model = new Option<string?>("--model", "-m") { Description = "A folder with latest_net_AE and latest_net_Dec_B (.pth or .safetensors): the official checkpoints folder, or `stylelab train cast --out`." };
        var ae = new Option<string?>("--ae") { Description = "The encoder checkpoint (official latest_net_AE.pth); overrides --model." };
        var decB = new Option<string?>("--dec-b") { Description = "The artistic-domain decoder (official latest_net_Dec_B.pth); overrides --model." };
        var vgg = new Option<string?>("--vgg") { Description = "Use this vgg_normalised.pth as the encoder instead of a trained AE (CAST starts from it)." };
        var size = new Option<int?>("--size") { Description = "Longest side in pixels of photo and painting (default: their own sizes)." };
        var device = GlobalOptions.Device();

        var command = new Command("cast", "Arbitrary style transfer with CAST's generator: Dec_B(AdaIN(E(photo), E(painting))) (Zhang et al. 2022).")
        {
            content, style, output, model, ae, decB, vgg, size, device,
        };
        command.SetAction(async (parse, ct) =>
        {
            var load = FastCommand.Loading(parse.GetValue(size));
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            string? folder = parse.GetValue(model);
            string? Pick(string? explicitPath, string name, string option)
            {
                if (explicitPath is not null)
                    return File.Exists(explicitPath) ? explicitPath : throw new UsageException($"{option}: '{explicitPath}' does not exist.");
                if (folder is null) return null;
                if (!Directory.Exists(folder)) throw new UsageException($"--model: '{folder}' is not a folder.");
                return CastWeights.Find(folder, name);
            }
            var decoderPath = Pick(parse.GetValue(decB), CastWeights.DecoderB, "--dec-b")
                ?? throw new UsageException("CAST needs its artistic-domain decoder: give --model FOLDER (with latest_net_Dec_B.pth) or --dec-b FILE. " +
                    "Official weights: github.com/zyxElsa/CAST_pytorch (README, 'pretrained models'); or train one with `stylelab train cast`.");
            var encoderPath = parse.GetValue(vgg) is { } v
                ? (File.Exists(v) ? v : throw new UsageException($"--vgg: '{v}' does not exist."))
                : Pick(parse.GetValue(ae), CastWeights.Encoder, "--ae")
                    ?? throw new UsageException("CAST needs its encoder: give --model FOLDER (with latest_net_AE.pth), --ae FILE or --vgg vgg_normalised.pth.");
            CastGenerator generator;
            try { generator = CastGenerator.Load(encoderPath, decoderPath, device: torchDevice); }
            catch (WeightFileException e) { throw new UsageException(e.Message); }
            using (generator)
            using (var painting = Imaging.ImageIO.Load(parse.GetValue(style)!, load, torchDevice))
            {
                generator.eval();
                var jobs = ImageJobs.Plan(parse.GetValue(content)!, parse.GetValue(output)!, "cast-" + Path.GetFileNameWithoutExtension(parse.GetValue(style)!));
                var elapsed = await ImageJobs.RunAsync(console, jobs, load, torchDevice, photo => generator.Stylize(photo, painting), ct);
                ImageJobs.Print(console, jobs, elapsed);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
