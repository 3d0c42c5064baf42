using StyleLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Cli;

/// <summary><c>stylelab train sanet</c> then <c>stylelab sanet</c> with what it wrote (needs ../shared's partial VGG).</summary>
public sealed class CliSANetTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"stylelab-cli-sanet-{Guid.NewGuid():N}");
    readonly string _photos, _paintings;

    public CliSANetTests()
    {
        _photos = Directory.CreateDirectory(Path.Combine(_folder, "photos")).FullName;
        _paintings = Directory.CreateDirectory(Path.Combine(_folder, "paintings")).FullName;
        using var scope = NewDisposeScope();
        torch.random.manual_seed(5);
        for (int i = 0; i < 3; i++)
        {
            ImageIO.Save(rand(1, 3, 48 + 4 * i, 40), Path.Combine(_photos, $"p{i}.png"));
            ImageIO.Save(rand(1, 3, 40, 44), Path.Combine(_paintings, $"s{i}.png"));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SkippableFact]
    public async Task Train_then_stylise_with_the_files_it_wrote_with_interpolation_masks_and_alpha()
    {
        Skip.If(TestPaths.SharedVgg is null, "../shared's partial VGG-19 is absent");
        string model = Path.Combine(_folder, "model");
        var train = await CliRun.InvokeAsync("train", "sanet", "--content-dir", _photos, "--style-dir", _paintings, "--out", model,
            "--steps", "2", "--batch", "1", "--crop", "32", "--vgg", TestPaths.SharedVgg!);
        Assert.True(train.ExitCode == 0, train.Error);
        foreach (var file in new[] { "checkpoint.safetensors", "transformer.safetensors", "decoder.safetensors", "vgg.safetensors" })
            Assert.True(File.Exists(Path.Combine(model, file)), file);
        Assert.Contains("relu3_1 + pool3", train.Output);

        var resumed = await CliRun.InvokeAsync("train", "sanet", "--content-dir", _photos, "--style-dir", _paintings, "--out", model,
            "--steps", "3", "--batch", "1", "--crop", "32", "--resume", "--vgg", TestPaths.SharedVgg!);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("from step 2", resumed.Output);

        string photo = Path.Combine(_photos, "p1.png"), output = Path.Combine(_folder, "out.png");
        string[] files = ["--transformer", Path.Combine(model, "transformer.safetensors"), "--decoder", Path.Combine(model, "decoder.safetensors")];
        var run = await CliRun.InvokeAsync(["sanet", "-c", photo, "-s", Path.Combine(_paintings, "s0.png"), "-s", Path.Combine(_paintings, "s1.png"),
            "--mix", "0.3,0.7", "--alpha", "0.5", "--size", "52", "-o", output, .. files]);
        Assert.True(run.ExitCode == 0, run.Error);
        using (var image = ImageIO.Load(output)) Assert.Equal(new long[] { 1, 3, 52, 40 }, image.shape);

        string mask = Path.Combine(_folder, "mask.png");
        using (var m = ones(1, 3, 52, 40)) { m[.., .., ..26, ..] = 0; ImageIO.Save(m, mask); }
        string inverse = Path.Combine(_folder, "inverse.png");
        using (var m = zeros(1, 3, 52, 40)) { m[.., .., ..26, ..] = 1; ImageIO.Save(m, inverse); }
        var masked = await CliRun.InvokeAsync(["sanet", "-c", photo, "-s", Path.Combine(_paintings, "s0.png"), "-s", Path.Combine(_paintings, "s1.png"),
            "--mask", mask, inverse, "--levels", "relu3_1", "-o", output, "--force", .. files]);
        Assert.True(masked.ExitCode == 0, masked.Error);
        Assert.Contains("levels shallow", masked.Output);
    }

    [SkippableTheory]
    [InlineData("--alpha", "1.5", "--alpha must lie in [0, 1]")]
    [InlineData("--mix", "0.5,0.5", "give one per style")]
    [InlineData("--levels", "relu9_9", "--levels must be both, relu3_1 or pool3")]
    public async Task Bad_options_are_one_usage_error(string option, string value, string message)
    {
        Skip.If(TestPaths.SharedVgg is null, "../shared's partial VGG-19 is absent");
        string model = Path.Combine(_folder, "m");
        Directory.CreateDirectory(model);
        using (var m = StyleLab.Methods.SANet.SANetModel.Random(StyleLab.Methods.SANet.SANetLayers.Shallow3))
            m.Save(Path.Combine(model, "t.safetensors"), Path.Combine(model, "d.safetensors"));
        var run = await CliRun.InvokeAsync("sanet", "-c", Path.Combine(_photos, "p0.png"), "-s", Path.Combine(_paintings, "s0.png"),
            "--transformer", Path.Combine(model, "t.safetensors"), "--decoder", Path.Combine(model, "d.safetensors"), "--vgg", TestPaths.SharedVgg!,
            option, value, "-o", Path.Combine(_folder, "x.png"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public async Task Train_without_a_content_folder_is_a_usage_error()
    {
        var run = await CliRun.InvokeAsync("train", "sanet", "--content-dir", Path.Combine(_folder, "nope"), "--style-dir", _paintings, "--out", _folder);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
    }
}
