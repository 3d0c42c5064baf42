using StyleLab.Imaging;

namespace StyleLab.Tests.Cli;

public sealed class CliCompareTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), $"stylelab-compare-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [SkippableFact]
    public async Task Compare_writes_the_grid_and_the_table_and_lists_methods_without_weights_as_skipped()
    {
        Skip.If(TestPaths.SharedWeights is null || TestPaths.SharedFastStyle("wave") is null, "../shared is absent");
        string data = Path.Combine(TestPaths.Shared!, "data");
        var run = await CliRun.InvokeAsync("compare", "--quick", "--methods", "fast,arbitrary,adain", "-c", Path.Combine(data, "content", "chicago.jpg"),
            "-s", Path.Combine(data, "style", "Starry.jpg"), "-s", Path.Combine(data, "style", "wave.jpg"),
            "--weights", $"fast:style={TestPaths.SharedFastStyle("wave")}", "-o", _folder);
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        string csv = File.ReadAllText(Path.Combine(_folder, "compare.csv"));
        Assert.StartsWith("method,pair,content_loss,gram_style_loss,mean_std_style_loss,ssim_to_content,seconds_per_image,peak_memory_mib,status", csv);
        Assert.Contains("fast,chicago.jpg × Starry.jpg,", csv);
        Assert.Contains("arbitrary,chicago.jpg × wave.jpg,", csv);
        Assert.Contains(csv.Split('\n'), line => line.StartsWith("adain,,,,,,,,") && line.Contains("skipped: adain:"));
        string html = File.ReadAllText(Path.Combine(_folder, "compare.html"));
        Assert.Contains("<img src=\"fast-1.png\"", html);
        Assert.Contains("stylelab train adain", html);   // a skipped method says how to get its weights
        using var grid = ImageIO.Load(Path.Combine(_folder, "grid.png"));
        using var cell = ImageIO.Load(Path.Combine(_folder, "fast-1.png"));
        Assert.Equal(128, Math.Max(cell.shape[2], cell.shape[3]));   // --quick: at most 128 pixels
        Assert.Equal(new long[] { 1, 3, 2 * cell.shape[2], 2 * cell.shape[3] }, grid.shape);   // 2 methods × 2 pairs
    }
}
