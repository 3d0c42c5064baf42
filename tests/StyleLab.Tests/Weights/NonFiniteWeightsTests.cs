using StyleLab.Decoders;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Weights;

/// <summary>
/// NaN or ∞ never passes for weights: no writer writes them, no reader hands them to a model, and
/// the command line fails with one line naming the file (an all-black image with exit code 0 before).
/// </summary>
public sealed class NonFiniteWeightsTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-nonfinite-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(".safetensors", float.NaN)]
    [InlineData(".pth", float.PositiveInfinity)]
    public void Writers_refuse_non_finite_tensors_and_write_nothing(string extension, float bad)
    {
        string path = Path.Combine(_folder, "decoder" + extension);
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor> { ["0.weight"] = ones(2, 2), ["1.weight"] = tensor(new[] { 1f, bad }) };

        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            if (extension == ".pth") TorchSave.Save(path, tensors);
            else SafeTensors.Save(path, tensors);
        });
        Assert.Contains($"'{path}'", e.Message);
        Assert.Contains("tensor '1.weight' holds 1 NaN or infinite value(s)", e.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_decoder_file_holding_NaN_is_refused_by_name_when_loaded()
    {
        string path = DecoderWithNaN();
        var e = Assert.Throws<WeightFileException>(() => VggDecoder.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("NaN or infinite", e.Message);
    }

    [Fact]
    public async Task Stylelab_adain_with_a_NaN_decoder_fails_with_one_line_naming_it()
    {
        using var scope = NewDisposeScope();
        torch.random.manual_seed(3);
        string photo = Path.Combine(_folder, "photo.png"), painting = Path.Combine(_folder, "painting.png");
        StyleLab.Imaging.ImageIO.Save(rand(1, 3, 24, 24), photo);
        StyleLab.Imaging.ImageIO.Save(rand(1, 3, 24, 24), painting);
        using var vgg = StyleLab.Encoders.Vgg19Encoder.Random(2);
        string vggPath = Path.Combine(_folder, "vgg.safetensors");
        SafeTensors.Save(vggPath, vgg.state_dict().Where(kv => kv.Key.CompareTo("conv2_2") < 0).ToDictionary(),
            new Dictionary<string, string> { ["preprocessing"] = "caffe" });
        string decoder = DecoderWithNaN();
        string output = Path.Combine(_folder, "out.png");

        var run = await Cli.CliRun.InvokeAsync("adain", "-c", photo, "-s", painting, "--decoder", decoder, "--vgg", vggPath, "-o", output);
        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains($"Cannot load weights from '{decoder}'", run.Error);
        Assert.Contains("NaN or infinite", run.Error);
        Assert.False(File.Exists(output));
    }

    /// <summary>A relu2_1 decoder saved as safetensors, then one float of its last tensor overwritten with NaN on disk.</summary>
    string DecoderWithNaN()
    {
        string path = Path.Combine(_folder, "decoder-nan.safetensors");
        using (var decoder = new VggDecoder("relu2_1"))
            SafeTensors.Save(path, decoder.state_dict());
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.Seek(-4, SeekOrigin.End);
            file.Write(BitConverter.GetBytes(float.NaN));
        }
        return path;
    }
}
