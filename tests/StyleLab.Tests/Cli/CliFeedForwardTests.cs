using StyleLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Cli;

/// <summary><c>stylelab fast</c> and <c>stylelab arbitrary</c> on small images (the networks need ../shared).</summary>
public sealed class CliFeedForwardTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"stylelab-cli-ff-{Guid.NewGuid():N}");
    readonly string _photos, _painting;

    public CliFeedForwardTests()
    {
        _photos = Directory.CreateDirectory(Path.Combine(_folder, "photos")).FullName;
        using var scope = NewDisposeScope();
        torch.random.manual_seed(4);
        ImageIO.Save(rand(1, 3, 30, 41), Path.Combine(_photos, "a.png"));
        ImageIO.Save(rand(1, 3, 24, 24), Path.Combine(_photos, "b.png"));
        File.WriteAllText(Path.Combine(_photos, "notes.txt"), "not an image");
        _painting = Path.Combine(_folder, "painting.png");
        ImageIO.Save(rand(1, 3, 64, 48), _painting);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SkippableFact]
    public async Task Fast_stylises_a_folder_into_a_folder_at_each_photos_size()
    {
        Skip.If(TestPaths.SharedFastStyle("wave") is null, "../shared fast-style weights are absent");
        var run = await CliRun.InvokeAsync("fast", "--style", TestPaths.SharedFastStyle("wave")!, "-c", _photos, "-o", Path.Combine(_folder, "out"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Wrote 2 images", run.Output);
        using var a = ImageIO.Load(Path.Combine(_folder, "out", "a-wave.png"));
        using var b = ImageIO.Load(Path.Combine(_folder, "out", "b-wave.png"));
        Assert.Equal(new long[] { 1, 3, 30, 41 }, a.shape);
        Assert.Equal(new long[] { 1, 3, 24, 24 }, b.shape);
    }

    [Fact]
    public async Task Fast_runs_a_fast_neural_style_t7_checkpoint_given_as_the_style()
    {
        // A narrow model in the layout of Johnson's Lua checkpoints (FastNeuralStyleTests checks its numbers).
        var golden = StyleLab.Weights.SafeTensors.Load(TestPaths.Fixture("feedforward", "fast_neural_style_golden.safetensors"));
        try
        {
            var weights = golden.Where(p => p.Key.StartsWith("instance.", StringComparison.Ordinal) && p.Key != "instance.output")
                .ToDictionary(p => p.Key["instance.".Length..], p => p.Value);
            string model = Path.Combine(_folder, "candy.t7");
            File.WriteAllBytes(model, Weights.Torch7.Torch7Writer.Serialise(
                FeedForward.FastNeuralStyleTree.Checkpoint("c9s1-4,d8,d8,R8,R8,u8,u4,c9s1-3", instanceNorm: true, weights)));
            var run = await CliRun.InvokeAsync("fast", "--style", model, "-c", Path.Combine(_photos, "a.png"), "-o", Path.Combine(_folder, "a.png"));
            Assert.True(run.ExitCode == 0, run.Error);
            using var a = ImageIO.Load(Path.Combine(_folder, "a.png"));
            Assert.Equal(new long[] { 1, 3, 30, 41 }, a.shape);
        }
        finally
        {
            foreach (var t in golden.Values) t.Dispose();
        }
    }

    [Fact]
    public async Task Fast_with_an_unknown_style_is_a_one_line_usage_error()
    {
        var run = await CliRun.InvokeAsync("fast", "--style", "no-such-style", "-c", _photos, "-o", Path.Combine(_folder, "out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("no-such-style", run.Error);
    }

    [SkippableFact]
    public async Task Arbitrary_mixes_two_paintings_at_reduced_strength()
    {
        Skip.If(Arbitrary.MagentaGolden.PredictorPath is null, "../shared magenta-arbitrary weights are absent");
        string weights = Path.GetDirectoryName(Arbitrary.MagentaGolden.PredictorPath)!;
        string output = Path.Combine(_folder, "mixed.png");
        var run = await CliRun.InvokeAsync("arbitrary", "-s", _painting, "-s", Path.Combine(_photos, "b.png"), "--mix", "0.7,0.3",
            "--alpha", "0.5", "-c", Path.Combine(_photos, "a.png"), "-o", output, "--model", weights);
        Assert.True(run.ExitCode == 0, run.Error);
        using var image = ImageIO.Load(output);
        Assert.Equal(new long[] { 1, 3, 30, 41 }, image.shape);
    }

    [Fact]
    public async Task Arbitrary_rejects_a_mix_that_does_not_match_the_paintings()
    {
        var run = await CliRun.InvokeAsync("arbitrary", "-s", _painting, "--mix", "0.5,0.5", "-c", _photos, "-o", Path.Combine(_folder, "out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--mix gives 2 weights for 1 --style images", run.Error);
    }

    [Fact]
    public async Task A_folder_without_images_is_a_usage_error()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;
        var run = await CliRun.InvokeAsync("arbitrary", "-s", _painting, "-c", empty, "-o", Path.Combine(_folder, "out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("holds no images", run.Error);
    }
}
