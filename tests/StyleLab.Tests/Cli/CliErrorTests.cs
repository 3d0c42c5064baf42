using StyleLab.Cli;

namespace StyleLab.Tests.Cli;

/// <summary>Bad input ends with a non-zero exit code and exactly one <c>error: …</c> line, no stack trace.</summary>
public class CliErrorTests
{
    static void AssertOneErrorLine(CliRun run, int expectedCode, string mentions)
    {
        Assert.Equal(expectedCode, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: ", line);
        Assert.Contains(mentions, line);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        AssertOneErrorLine(await CliRun.InvokeAsync("--no-such-option"), ExitCodes.Usage, "--no-such-option");
    }

    [Fact]
    public async Task An_unknown_weights_id_is_named()
    {
        AssertOneErrorLine(await CliRun.InvokeAsync("weights", "fetch", "no-such-net"), ExitCodes.Failure, "no-such-net");
    }

    [Fact]
    public async Task An_invalid_option_value_is_a_usage_error()
    {
        AssertOneErrorLine(await CliRun.InvokeAsync("bench", "--sizes", "64,big"), ExitCodes.Usage, "big");
    }

    [Fact]
    public async Task Verbose_adds_the_trace_after_the_line()
    {
        var run = await CliRun.InvokeAsync("weights", "fetch", "no-such-net", "--verbose");
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith("error: ", run.ErrorLines[0]);
        Assert.Contains("KeyNotFoundException", run.Error);
    }
}
