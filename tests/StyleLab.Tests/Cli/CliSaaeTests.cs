using StyleLab.Cli;
using StyleLab.Imaging;

namespace StyleLab.Tests.Cli;

/// <summary><c>stylelab train saae</c> and <c>stylelab saae</c>, on sizes that train in seconds.</summary>
public class CliSaaeTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-cli-saae-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Train_writes_a_checkpoint_scores_it_draws_a_grid_and_resumes_to_more_steps()
    {
        string output = Path.Combine(_folder, "run");
        string[] tiny = ["--size", "16", "--batch", "4", "--out", output, "--classifier-steps", "2"];
        var first = await CliRun.InvokeAsync(["train", "saae", "--steps", "2", .. tiny]);
        Assert.True(first.ExitCode == ExitCodes.Success, first.Error);
        Assert.Contains("recognised as the intended character", first.Output);
        string checkpoint = Path.Combine(output, "saae.safetensors");
        Assert.True(File.Exists(checkpoint) && File.Exists(Path.Combine(output, "grid.png")));

        var again = await CliRun.InvokeAsync(["train", "saae", "--steps", "2", .. tiny]);
        Assert.Equal(ExitCodes.Usage, again.ExitCode);
        Assert.Contains("--resume", Assert.Single(again.ErrorLines));

        var resumed = await CliRun.InvokeAsync(["train", "saae", "--steps", "3", "--resume", .. tiny]);
        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.Error);
        Assert.Contains("resuming at step 2", resumed.Output);
        Assert.Contains("Trained to step 3", resumed.Output);

        string grid = Path.Combine(_folder, "grid.png");
        var sample = await CliRun.InvokeAsync("saae", "sample", "--checkpoint", checkpoint, "-o", grid, "--chars", "ab1", "--styles", "2", "--scale", "1");
        Assert.True(sample.ExitCode == ExitCodes.Success, sample.Error);
        using var image = ImageIO.Load(grid);
        // A header row and three characters; a content column and two styles; cells 16 × 32, 2-pixel gaps.
        Assert.Equal(new long[] { 1, 3, 4 * 16 + 3 * 2, 3 * 32 + 2 * 2 }, image.shape);
    }

    [Fact]
    public async Task Resume_without_a_checkpoint_is_a_usage_error()
    {
        var run = await CliRun.InvokeAsync("train", "saae", "--resume", "--out", Path.Combine(_folder, "none"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("error: --resume", Assert.Single(run.ErrorLines));
    }

    [Fact]
    public async Task A_corrupt_checkpoint_gives_one_error_line_naming_it()
    {
        string path = Path.Combine(_folder, "broken.safetensors");
        File.WriteAllBytes(path, new byte[100]);
        var run = await CliRun.InvokeAsync("saae", "sample", "--checkpoint", path, "-o", Path.Combine(_folder, "x.png"));
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains("broken.safetensors", line);
    }

    [Fact]
    public async Task Characters_outside_the_alphabet_are_refused()
    {
        string path = Path.Combine(_folder, "any.safetensors");
        File.WriteAllBytes(path, new byte[100]);
        var run = await CliRun.InvokeAsync("saae", "sample", "--checkpoint", path, "-o", "x.png", "--chars", "A?");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--chars", Assert.Single(run.ErrorLines));
    }
}
