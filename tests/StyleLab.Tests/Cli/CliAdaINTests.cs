using System.Diagnostics;
using System.Text.Json;
using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Cli;

/// <summary><c>stylelab train adain</c> and <c>stylelab adain</c> end to end on tiny images and a random partial VGG.</summary>
public sealed class CliAdaINTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"stylelab-cli-adain-{Guid.NewGuid():N}");
    readonly string _photos, _paintings, _vgg;

    public CliAdaINTests()
    {
        _photos = Directory.CreateDirectory(Path.Combine(_folder, "photos")).FullName;
        _paintings = Directory.CreateDirectory(Path.Combine(_folder, "paintings")).FullName;
        using var scope = NewDisposeScope();
        torch.random.manual_seed(11);
        ImageIO.Save(rand(1, 3, 30, 41), Path.Combine(_photos, "a.png"));
        ImageIO.Save(rand(1, 3, 24, 24), Path.Combine(_photos, "b.png"));
        ImageIO.Save(rand(1, 3, 28, 20), Path.Combine(_paintings, "p.png"));
        ImageIO.Save(rand(1, 3, 20, 20), Path.Combine(_paintings, "q.png"));
        // A VGG file that stops after conv2_1, as ../shared's stops after conv3_4: AdaIN must fall back to relu2_1.
        using var full = Vgg19Encoder.Random(2);
        var partial = full.state_dict().Where(kv => kv.Key.CompareTo("conv2_2") < 0).ToDictionary(kv => kv.Key, kv => kv.Value);
        _vgg = Path.Combine(_folder, "vgg-partial.safetensors");
        SafeTensors.Save(_vgg, partial, new Dictionary<string, string> { ["preprocessing"] = "caffe" });
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    string[] Train(string output, params string[] more) =>
        ["train", "adain", "--content-dir", _photos, "--style-dir", _paintings, "--vgg", _vgg, "--batch", "2", "--crop", "16",
         "--lr", "1e-3", "--out", output, .. more];

    [Fact]
    public async Task Train_falls_back_to_the_deepest_layer_and_exports_a_decoder_that_adain_uses()
    {
        string output = Path.Combine(_folder, "run");
        var train = await CliRun.InvokeAsync(Train(output, "--steps", "3", "--warmup", "1"));
        Assert.True(train.ExitCode == 0, train.Error + train.Output);
        Assert.Contains("before relu4_1: AdaIN runs at relu2_1", train.Output);
        Assert.Contains("the first 1 reconstructing the photos", train.Output);
        Assert.Contains("after 3 steps: content", train.Output);
        // The ImageNet VGG is normalised for training and saved with the run: the decoder belongs to that encoder.
        string normalisedVgg = Path.Combine(output, "vgg.safetensors");
        Assert.True(File.Exists(normalisedVgg));
        Assert.Contains($"--vgg {normalisedVgg}", train.Output.Replace("\n", " ").ReplaceLineEndings(" "));
        using (var decoder = VggDecoder.Load(Path.Combine(output, "decoder.pth")))
            Assert.Equal("relu2_1", decoder.FromLayer);

        string image = Path.Combine(_folder, "out.png");
        var run = await CliRun.InvokeAsync("adain", "-c", Path.Combine(_photos, "a.png"), "-s", Path.Combine(_paintings, "p.png"),
            "-s", Path.Combine(_paintings, "q.png"), "--mix", "1,3", "--alpha", "0.5", "--preserve-color",
            "--decoder", Path.Combine(output, "decoder.pth"), "--vgg", normalisedVgg, "-o", image);
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("AdaIN at relu2_1", run.Output);
        using var result = ImageIO.Load(image);
        Assert.Equal(new long[] { 1, 3, 30, 41 }, result.shape); // the decoder's multiple-of-2 output is cropped back
    }

    [Fact]
    public async Task Ctrl_c_writes_a_checkpoint_and_the_decoder_and_resume_continues()
    {
        string output = Path.Combine(_folder, "cancelled");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var stopped = await CliRun.InvokeAsync(cancelled.Token, Train(output, "--steps", "2"));
        Assert.Equal(130, stopped.ExitCode);
        Assert.True(File.Exists(Path.Combine(output, "checkpoint.safetensors")));
        Assert.True(File.Exists(Path.Combine(output, "decoder.pth")));
        var resumed = await CliRun.InvokeAsync(Train(output, "--steps", "2", "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Error + resumed.Output);
        Assert.Contains("Resumed at step 0", resumed.Output);
        Assert.Contains("after 2 steps", resumed.Output);
    }

    [Fact]
    public async Task Bad_controls_are_one_line_usage_errors()
    {
        string photo = Path.Combine(_photos, "a.png"), painting = Path.Combine(_paintings, "p.png");
        var mask = await CliRun.InvokeAsync("adain", "-c", photo, "-s", painting, "--mask", photo, photo, "-o", Path.Combine(_folder, "x.png"));
        Assert.Equal(2, mask.ExitCode);
        Assert.Contains("--mask: give one mask per --style", mask.Error);
        var alpha = await CliRun.InvokeAsync("adain", "-c", photo, "-s", painting, "--alpha", "1.5", "-o", Path.Combine(_folder, "x.png"));
        Assert.Equal(2, alpha.ExitCode);
        Assert.Single(alpha.ErrorLines);
        var warmup = await CliRun.InvokeAsync(Train(Path.Combine(_folder, "warm"), "--steps", "3", "--warmup", "3"));
        Assert.Equal(2, warmup.ExitCode);
        Assert.Contains("--warmup must be", warmup.Error);
        var resume = await CliRun.InvokeAsync(Train(Path.Combine(_folder, "nothing-here"), "--resume"));
        Assert.Equal(2, resume.ExitCode);
        Assert.Contains("no checkpoint", resume.Error);
    }

    [SkippableFact]
    public async Task PyTorch_loads_the_exported_decoder_pth_with_the_same_keys_shapes_and_values()
    {
        Skip.IfNot(File.Exists("/usr/bin/python3"), "Debian's python3 is absent");
        string output = Path.Combine(_folder, "torch");
        var train = await CliRun.InvokeAsync(Train(output, "--steps", "1"));
        Assert.True(train.ExitCode == 0, train.Error + train.Output);
        string path = Path.Combine(output, "decoder.pth");
        var info = new ProcessStartInfo("/usr/bin/python3", ["-c",
            "import json,sys,torch; d=torch.load(sys.argv[1]); print(json.dumps({k: [list(v.shape), float(v.double().sum())] for k, v in d.items()}))", path])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(info)!;
        string stdout = await python.StandardOutput.ReadToEndAsync(), stderr = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Skip.If(stderr.Contains("No module named 'torch'"), "Debian's python3-torch is absent");
        Assert.True(python.ExitCode == 0, stderr);
        var loaded = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(stdout)!;
        using var decoder = VggDecoder.Load(path);
        var own = decoder.state_dict();
        Assert.Equal(own.Keys, loaded.Keys);
        foreach (var (key, value) in own)
        {
            var entry = loaded[key];
            Assert.Equal(value.shape, entry[0].EnumerateArray().Select(e => e.GetInt64()).ToArray());
            Assert.Equal(value.to(ScalarType.Float64).sum().item<double>(), entry[1].GetDouble(), 9);
        }
    }
}
