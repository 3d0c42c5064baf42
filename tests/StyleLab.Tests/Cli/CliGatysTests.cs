using StyleLab.Cli;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Cli;

/// <summary>
/// <c>stylelab gatys</c> end to end on tiny inputs: 32² images and a VGG-19 cut after conv2_1 with
/// random weights (a few hundred KB), so no pretrained file is needed.
/// </summary>
public sealed class CliGatysTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"stylelab-cli-{Guid.NewGuid():N}");
    readonly string _content, _style, _weights;

    public CliGatysTests()
    {
        Directory.CreateDirectory(_folder);
        _content = Path.Combine(_folder, "content.png");
        _style = Path.Combine(_folder, "style.png");
        _weights = Path.Combine(_folder, "vgg-to-conv2_1.safetensors");
        using var scope = NewDisposeScope();
        torch.random.manual_seed(1);
        ImageIO.Save(rand(1, 3, 32, 32), _content);
        ImageIO.Save(rand(1, 3, 32, 32), _style);
        var dict = new Dictionary<string, Tensor>();
        foreach (var conv in VggLayers.Convolutions.TakeWhile(c => c.Name != "conv2_2"))
        {
            dict[$"{conv.Name}.weight"] = randn(conv.OutChannels, conv.InChannels, 3, 3) * 0.1;
            dict[$"{conv.Name}.bias"] = zeros(conv.OutChannels);
        }
        SafeTensors.Save(_weights, dict);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A valid command line; <paramref name="overrides"/> are option/value pairs that replace or add to it.</summary>
    string[] Args(params string[] overrides)
    {
        var options = new Dictionary<string, string>
        {
            ["-c"] = _content, ["-s"] = _style, ["-o"] = Path.Combine(_folder, "out.png"), ["--size"] = "32", ["--steps"] = "2",
            ["--weights"] = _weights, ["--content-layers"] = "relu2_1", ["--style-layers"] = "relu1_1,relu2_1",
        };
        for (int i = 0; i < overrides.Length; i += 2) options[overrides[i]] = overrides[i + 1];
        return ["gatys", .. options.SelectMany(kv => new[] { kv.Key, kv.Value })];
    }

    [Fact]
    public async Task A_small_run_writes_the_image_and_reports_the_loss()
    {
        var run = await CliRun.InvokeAsync(Args("--optimizer", "adam", "--init", "content"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.True(File.Exists(Path.Combine(_folder, "out.png")));
        Assert.Contains("loss", run.Output);
        using var image = ImageIO.Load(Path.Combine(_folder, "out.png"));
        Assert.Equal(new long[] { 1, 3, 32, 32 }, image.shape);
    }

    [Fact]
    public async Task A_missing_content_file_is_one_line()
    {
        var run = await CliRun.InvokeAsync(Args("-c", Path.Combine(_folder, "no-such.jpg")));
        Assert.NotEqual(0, run.ExitCode);
        Assert.StartsWith("error: ", Assert.Single(run.ErrorLines));
        Assert.Contains("no-such.jpg", run.Error);
    }

    [Fact]
    public async Task A_corrupt_image_is_one_line()
    {
        var corrupt = Path.Combine(_folder, "corrupt.jpg");
        File.WriteAllBytes(corrupt, [0xFF, 0xD8, 0xFF, 0x00, 1, 2, 3]);
        var run = await CliRun.InvokeAsync(Args("-s", corrupt));
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("corrupt.jpg", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task An_unknown_layer_is_a_usage_error_naming_it()
    {
        var run = await CliRun.InvokeAsync(Args("--style-layers", "relu9_9"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("relu9_9", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task An_unknown_optimizer_lists_the_choices_on_one_line()
    {
        var run = await CliRun.InvokeAsync(Args("--optimizer", "sgd"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("sgd", line);
        Assert.Contains("lbfgs, adam", line);
    }

    [Fact]
    public async Task A_layer_deeper_than_the_weights_is_named()
    {
        var run = await CliRun.InvokeAsync(Args("--content-layers", "relu4_2"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("relu4_2", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Missing_weights_are_one_line()
    {
        var run = await CliRun.InvokeAsync(Args("--weights", Path.Combine(_folder, "absent.safetensors")));
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("absent.safetensors", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task Cancellation_exits_with_130()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var run = await CliRun.InvokeAsync(cancelled.Token, Args());
        Assert.Equal(ExitCodes.Cancelled, run.ExitCode);
        Assert.StartsWith("error: ", Assert.Single(run.ErrorLines));
    }
}
