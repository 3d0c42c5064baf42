namespace StyleLab.Tests.Cli;

public class CliInfoTests
{
    [Fact]
    public async Task Info_reports_versions_threads_and_natives()
    {
        var run = await CliRun.InvokeAsync("info");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        foreach (var label in new[] { "TorchSharp", "libtorch", ".NET", "threads", "natives", "weights", "data" })
            Assert.Contains(label, run.Output);
    }

    [Fact]
    public async Task Weights_list_shows_every_registered_id()
    {
        var run = await CliRun.InvokeAsync("weights", "list");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("adain-decoder", run.Output);
        Assert.Contains("magenta-style-predict-int8", run.Output);
    }

    [Fact]
    public async Task Bench_times_a_small_size()
    {
        var run = await CliRun.InvokeAsync("bench", "--sizes", "32", "--repeat", "1");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("gatys", run.Output);
        Assert.Contains("GFLOP/s", run.Output);
    }
}
