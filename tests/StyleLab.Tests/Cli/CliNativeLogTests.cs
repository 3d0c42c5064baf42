using System.Diagnostics;

namespace StyleLab.Tests.Cli;

/// <summary>
/// libtorch writes to the process's standard error itself, past <see cref="StyleLab.Cli.CliConsole"/>: only a
/// process of its own shows what a user sees. On CPUs without NNPACK support (most VMs, this one included)
/// every run used to print "Could not initialize NNPACK! Reason: Unsupported hardware." once per convolution.
/// </summary>
public class CliNativeLogTests
{
    [Fact]
    public void A_run_that_convolves_prints_no_NNPACK_lines()
    {
        // `info` runs the start-up convolution check (NumericsCheck): 7 NNPACK lines here before the fix.
        var (code, error) = Stylelab("info");
        Assert.Equal(0, code);
        Assert.DoesNotContain("NNPACK", error);
    }

    [SkippableFact]
    public void A_stylisation_prints_nothing_on_standard_error()
    {
        Skip.If(TestPaths.SharedVgg is null, "../shared (VGG-19 weights, sample images) is absent");
        string output = Path.Combine(Path.GetTempPath(), $"stylelab-nnpack-{Guid.NewGuid():N}.png");
        try
        {
            var (code, error) = Stylelab("gatys", "-c", "chicago.jpg", "-s", "Starry.jpg", "--size", "32", "--steps", "2", "-o", output);
            Assert.True(code == 0, error);
            Assert.Equal("", error.Trim());
        }
        finally { File.Delete(output); }
    }

    static (int ExitCode, string Error) Stylelab(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "StyleLab.Cli.exe" : "StyleLab.Cli"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("TORCH_CPP_LOG_LEVEL"); // the fix must not rely on it
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "stylelab did not finish in 2 minutes");
        _ = output.Result;
        return (process.ExitCode, error.Result);
    }
}
