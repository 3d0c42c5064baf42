using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.WCT;
using StyleLab.Tests.Training;
using static TorchSharp.torch;

namespace StyleLab.Tests.Cli;

public class CliWctTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-cli-wct-").FullName;
    readonly TinyImageFolder _images = new(corrupt: false);

    public void Dispose()
    {
        _images.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A VGG-19 file that stops at conv2_1 (random weights, Caffe preprocessing), like ../shared's partial one but tiny.</summary>
    string ShallowVgg()
    {
        string path = Path.Combine(_folder, "vgg-conv2_1.safetensors");
        using var full = Vgg19Encoder.Random(seed: 3, preprocessing: Preprocessing.Caffe);
        var state = full.state_dict().Where(kv => kv.Key.StartsWith("conv1_") || kv.Key.StartsWith("conv2_1"))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        using var shallow = Vgg19Encoder.FromStateDict(state, Preprocessing.Caffe);
        VggNormalisation.Save(shallow, path);
        return path;
    }

    string Image(string name, int width, int height, int seed)
    {
        string path = Path.Combine(_folder, name);
        using var image = rand([1, 3, height, width], generator: new Generator((ulong)seed));
        ImageIO.Save(image, path);
        return path;
    }

    [Fact]
    public async Task Train_then_stylise_with_the_exported_decoders_and_resume_training()
    {
        string vgg = ShallowVgg();
        string decoders = Path.Combine(_folder, "decoders");
        foreach (int level in new[] { 1, 2 })
        {
            var run = await CliRun.InvokeAsync("train", "wct-decoder", "--level", $"{level}", "--content-dir", _images.Path,
                "--steps", "2", "--batch", "2", "--crop", "16", "--resize", "20", "--lr", "1e-3", "--vgg", vgg, "--out", decoders);
            Assert.True(run.ExitCode == 0, run.Error + run.Output);
            Assert.True(File.Exists(Path.Combine(decoders, WctDecoderFiles.FileName($"relu{level}_1"))));
        }
        Assert.True(File.Exists(Path.Combine(decoders, WctDecoderFiles.EncoderFileName)), "the normalised encoder is saved beside the decoders");

        // Two more steps from the checkpoint.
        var resumed = await CliRun.InvokeAsync("train", "wct-decoder", "--level", "2", "--content-dir", _images.Path,
            "--steps", "4", "--batch", "2", "--crop", "16", "--resize", "20", "--vgg", vgg, "--out", decoders, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.Error + resumed.Output);
        Assert.Contains("resuming at step 2", resumed.Output);
        Assert.Contains("in 4 steps", resumed.Output);

        string content = Image("content.png", 40, 30, 1), style = Image("style.png", 32, 32, 2), style2 = Image("style2.png", 24, 36, 3);
        string mask = Path.Combine(_folder, "mask.png");
        using (var m = zeros(1, 3, 30, 40)) { m[.., .., .., ..20] = 1; ImageIO.Save(m, mask); }
        string outPath = Path.Combine(_folder, "out.png");
        foreach (var extra in new[] { Array.Empty<string>(), ["-s", style2, "--mix", "0.3,0.7"], ["-s", style2, "--mask", mask, mask], ["--preserve-color", "--alpha", "1", "--levels", "2"] })
        {
            File.Delete(outPath);
            var run = await CliRun.InvokeAsync(["wct", "-c", content, "-s", style, "--decoders", decoders, "--size", "40", "-o", outPath, .. extra]);
            Assert.True(run.ExitCode == 0, string.Join(" ", extra) + ": " + run.Error + run.Output);
            using var written = ImageIO.Load(outPath);
            Assert.Equal(new long[] { 1, 3, 30, 40 }, written.shape);
        }
    }

    [Theory]
    [InlineData("--alpha", "1.5", "--alpha")]
    [InlineData("--levels", "7", "--levels")]
    [InlineData("--mix", "0.5,0.5", "--mix")]
    public async Task Bad_options_are_usage_errors_naming_the_option(string option, string value, string named)
    {
        string content = Image("c.png", 20, 20, 1);
        var run = await CliRun.InvokeAsync("wct", "-c", content, "-s", content, "--decoders", _folder, "-o", Path.Combine(_folder, "x.png"), option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(named, run.Error);
    }

    [Fact]
    public async Task A_folder_without_decoders_is_one_clear_error()
    {
        string content = Image("c.png", 20, 20, 1);
        var run = await CliRun.InvokeAsync("wct", "-c", content, "-s", content, "--decoders", _folder, "-o", Path.Combine(_folder, "x.png"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("No WCT decoder", run.Error);
        Assert.Contains("stylelab train wct-decoder", run.Error);
    }
}
