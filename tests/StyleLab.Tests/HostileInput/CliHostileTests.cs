using StyleLab.Cli;
using StyleLab.Imaging;
using StyleLab.Runtime;
using StyleLab.Tests.Training;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Tests.HostileInput;

/// <summary>The command line's side: exit codes by the kind of failure, folders that go on past a bad image, no overwritten inputs.</summary>
[Trait("Category", "HostileInput")]
public class CliHostileTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-hostile-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_corrupt_weight_file_is_a_failure_not_a_usage_error_even_where_a_command_reports_it_as_one()
    {
        var corrupt = new WeightFileException("dec.pth", "the file is corrupt or truncated");
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(corrupt));
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(new UsageException(corrupt.Message)));             // how `cast` reports it today
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(new UsageException("bad --model", corrupt)));
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(new MemoryBudgetException(2, 1, "too big")));
        Assert.Equal(ExitCodes.Usage, ExitCodes.For(new UsageException("--size must be at least 16 pixels, not 3.")));
    }

    [Fact]
    public void An_output_that_is_the_input_is_refused_however_it_is_spelled()
    {
        string photo = Path.Combine(_folder, "photo.png");
        using (var image = rand(1, 3, 8, 8)) ImageIO.Save(image, photo);
        string link = Path.Combine(_folder, "link.png");
        File.CreateSymbolicLink(link, photo);
        foreach (var output in new[] { photo, Path.Combine(_folder, ".", "photo.png"), link })
            Assert.Throws<UsageException>(() => ImageJobs.Plan(photo, output, "udnie"));
        Assert.Throws<UsageException>(() => ImageJobs.RefuseToOverwrite(link, Path.Combine(_folder, "other.png"), photo));
        ImageJobs.RefuseToOverwrite(Path.Combine(_folder, "result.png"), photo);   // a new file is fine
    }

    [Fact]
    public async Task A_folder_goes_on_past_a_bad_image_and_lists_every_failure_at_the_end()
    {
        string input = Path.Combine(_folder, "in"), output = Path.Combine(_folder, "out");
        Directory.CreateDirectory(input);
        foreach (var name in new[] { "a.png", "c.png" })
            using (var image = rand(1, 3, 8, 8)) ImageIO.Save(image, Path.Combine(input, name));
        File.WriteAllText(Path.Combine(input, "b.png"), "not a PNG");
        var jobs = ImageJobs.Plan(input, output, "x");
        var error = new StringWriter();
        var console = CliConsole.Plain(new StringWriter(), error);

        var failure = await Assert.ThrowsAsync<ImageBatchException>(() =>
            ImageJobs.RunAsync(console, jobs, ImageLoadOptions.Default, CPU, image => image * 0.5, CancellationToken.None));

        Assert.True(File.Exists(Path.Combine(output, "a-x.png")));
        Assert.True(File.Exists(Path.Combine(output, "c-x.png")));    // after the bad one
        Assert.Contains("1 of 3", failure.Message);
        Assert.Contains("b.png", error.ToString());
        Assert.Equal(ExitCodes.Failure, ExitCodes.For(failure));
    }

    [Fact]
    public void The_encoder_sample_of_a_training_run_skips_an_unreadable_photo_with_one_warning()
    {
        using var content = new TinyImageFolder(images: 3, corrupt: true);
        using var style = new TinyImageFolder(images: 2, corrupt: false);
        var error = new StringWriter();
        using var sample = TrainingEncoder.SampleImages(CliConsole.Plain(new StringWriter(), error),
            new DirectoryInfo(content.Path), new DirectoryInfo(style.Path), 16, CPU);
        Assert.Equal(5, sample.shape[0]);
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("garbage.jpg", error.ToString());
    }
}
