using StyleLab.Imaging;
using StyleLab.Methods.CAST;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Tests.Cli;

/// <summary><c>stylelab cast</c> and <c>stylelab train cast</c>.</summary>
public sealed class CliCastTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"stylelab-cli-cast-{Guid.NewGuid():N}");
    readonly string _photo, _painting;

    public CliCastTests()
    {
        Directory.CreateDirectory(_folder);
        using var scope = NewDisposeScope();
        random.manual_seed(5);
        _photo = Path.Combine(_folder, "photo.png");
        _painting = Path.Combine(_folder, "painting.png");
        ImageIO.Save(rand(1, 3, 30, 41), _photo);
        ImageIO.Save(rand(1, 3, 40, 36), _painting);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Cast_loads_official_checkpoint_files_and_keeps_the_photos_size()
    {
        var model = Directory.CreateDirectory(Path.Combine(_folder, "official")).FullName;
        using (var generator = CastGenerator.Random("relu2_1", seed: 3))
            foreach (var (net, dict) in generator.OfficialStateDicts())
                SafeTensors.Save(Path.Combine(model, $"latest_net_{net}.safetensors"), dict);
        var output = Path.Combine(_folder, "out.png");
        var run = await CliRun.InvokeAsync("cast", "--model", model, "-c", _photo, "-s", _painting, "-o", output);
        Assert.True(run.ExitCode == 0, run.Error);
        using var result = ImageIO.Load(output);
        Assert.Equal(new long[] { 1, 3, 30, 41 }, result.shape);
    }

    [Fact]
    public async Task Cast_without_a_decoder_says_where_to_get_one()
    {
        var run = await CliRun.InvokeAsync("cast", "-c", _photo, "-s", _painting, "-o", Path.Combine(_folder, "x.png"));
        Assert.Equal(1, run.ExitCode);   // the command line is right; the weights are missing
        Assert.Contains("cast-dec-b", run.Error);
        Assert.Contains("stylelab train cast", run.Error);
    }

    /// <summary><c>train cast</c> on ../shared's photos and paintings at a tiny size, into <paramref name="run"/>.</summary>
    static string[] TrainOnShared(string run, params string[] more) =>
        ["train", "cast", "--realistic-dir", Path.Combine(TestPaths.Shared!, "data", "content"), "--artistic-dir", Path.Combine(TestPaths.Shared!, "data", "style"),
         "--vgg", TestPaths.SharedVgg!, "--crop", "32", "--queue", "4", "--out", run, .. more];

    [SkippableFact]
    public async Task Train_cast_writes_official_files_that_cast_loads_and_resumes()
    {
        Skip.If(TestPaths.SharedVgg is null || TestPaths.Shared is null, "../shared is absent");
        var run = Path.Combine(_folder, "run");
        string[] common = TrainOnShared(run, "--batch", "1");
        var first = await CliRun.InvokeAsync([.. common, "--steps", "1"]);
        Assert.True(first.ExitCode == 0, first.Error);
        foreach (var net in new[] { "AE", "Dec_A", "Dec_B", "D", "P_style", "D_A", "D_B" })
            Assert.True(File.Exists(Path.Combine(run, $"latest_net_{net}.safetensors")), net);
        var resumed = await CliRun.InvokeAsync([.. common, "--steps", "2", "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("Resumed at step 1", resumed.Output);
        Assert.Contains("Trained 2 steps", resumed.Output);
        var output = Path.Combine(_folder, "trained.png");
        var stylised = await CliRun.InvokeAsync("cast", "--model", run, "-c", _photo, "-s", _painting, "-o", output);
        Assert.True(stylised.ExitCode == 0, stylised.Error);
        Assert.True(File.Exists(output));
    }

    [SkippableFact]
    public async Task Train_cast_with_the_short_run_options_warms_up_then_trains_and_resumes_with_its_negative_crops()
    {
        Skip.If(TestPaths.SharedVgg is null || TestPaths.Shared is null, "../shared is absent");
        var run = Path.Combine(_folder, "short-run");
        string[] common = TrainOnShared(run, "--warmup", "1", "--refresh-negatives", "--normalise-vgg");
        var first = await CliRun.InvokeAsync([.. common, "--steps", "2"]);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("VGG normalised over 16 images", first.Output);
        // The shared TrainingBar's log lines (output redirected): the loss terms by name, warm-up step first.
        Assert.Contains("warm-up/rec_A", first.Output);
        Assert.Contains("G/cycle", first.Output);
        var resumed = await CliRun.InvokeAsync([.. common, "--steps", "3", "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Contains("Trained 3 steps", resumed.Output);
        var bad = await CliRun.InvokeAsync([.. common, "--steps", "2", "--warmup", "2"]);
        Assert.Equal(2, bad.ExitCode);
    }
}
