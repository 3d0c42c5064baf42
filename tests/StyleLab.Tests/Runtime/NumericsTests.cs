using System.Diagnostics;
using StyleLab.Runtime;

namespace StyleLab.Tests.Runtime;

/// <summary>
/// libtorch 2.10's oneDNN computes wrong convolutions on VMs with an empty CPUID cache leaf
/// (docs/known-issues.md). These check that StyleLab's start-up check finds it — on a real affected
/// machine, or simulated on any other — and that every convolution StyleLab uses is right afterwards.
/// </summary>
public class NumericsTests
{
    [Fact]
    public void Every_convolution_StyleLab_uses_matches_float64_at_one_and_two_threads()
    {
        var errors = ConvolutionCheck.Run(ConvolutionCase.Survey, [1, 2]);
        Assert.Equal(2 * ConvolutionCase.Survey.Count, errors.Count);
        Assert.All(errors, e => Assert.True(e.Passed, e.ToString()));
    }

    [Fact]
    public void The_start_up_check_passed_in_this_process()
    {
        TorchRuntime.EnsureLoaded();
        var report = TorchRuntime.Numerics!;
        Assert.True(report.Passed, report.Summary);
        Assert.All(report.SelfTest, e => Assert.True(e.Passed, e.ToString()));
        // Where oneDNN misread the caches, the cheap repair (not the slow fallback) is what fixed it.
        if (report.DetectedCacheSizes is { L1: < 1024 }) Assert.Equal(OneDnnWorkaround.GuessedCacheSizes, report.Workaround);
    }

    [SkippableFact]
    public void The_self_test_detects_the_simulated_bug_when_no_workaround_is_allowed()
    {
        var run = Stylelab(new() { [NumericsCheck.SimulateVariable] = "1", [NumericsCheck.WorkaroundVariable] = "none" }, "info");
        Skip.If(run.Output.Contains("view not readable"), "this libtorch is not the build whose oneDNN view StyleLab can rewrite");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("convolutions WRONG", run.Output);
        Assert.Contains("grad_input WRONG", run.Output);
        Assert.Contains("error: libtorch computes wrong convolutions on this CPU", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
    }

    [SkippableFact]
    public void The_cache_size_repair_makes_the_simulated_bug_pass_every_convolution_check()
    {
        var run = Stylelab(new() { [NumericsCheck.SimulateVariable] = "1" }, "info", "--numerics");
        Skip.If(run.Output.Contains("view not readable"), "this libtorch is not the build whose oneDNN view StyleLab can rewrite");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("convolutions correct — libtorch's oneDNN is affected by the cache-size bug (simulated)", run.Output);
        Assert.Contains("cache sizes replaced by its guesses", run.Output);
        Assert.Contains($"{2 * ConvolutionCase.Survey.Count} of {2 * ConvolutionCase.Survey.Count} convolution checks match float64", run.Output);
    }

    [SkippableFact]
    public void Disabling_oneDNN_also_passes_the_self_test_with_the_simulated_bug()
    {
        var run = Stylelab(new() { [NumericsCheck.SimulateVariable] = "1", [NumericsCheck.WorkaroundVariable] = "disable-onednn" }, "info");
        Skip.If(run.Output.Contains("view not readable"), "this libtorch is not the build whose oneDNN view StyleLab can rewrite");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        Assert.Contains("convolutions correct", run.Output);
        Assert.Contains("oneDNN disabled", run.Output);
    }

    [Fact]
    public void An_unknown_workaround_name_is_a_clear_error()
    {
        var run = Stylelab(new() { [NumericsCheck.WorkaroundVariable] = "sometimes" }, "info");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("STYLELAB_ONEDNN_WORKAROUND='sometimes': use auto, cache-sizes, disable-onednn or none", run.Error);
    }

    /// <summary>
    /// The command line in a process of its own: the check runs once per process, before the first
    /// convolution, so a simulated bug needs a fresh one.
    /// </summary>
    static (int ExitCode, string Output, string Error) Stylelab(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "StyleLab.Cli.exe" : "StyleLab.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment["COLUMNS"] = "400"; // one table row per line
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "stylelab did not finish in 2 minutes");
        return (process.ExitCode, output.Result, error.Result);
    }
}
