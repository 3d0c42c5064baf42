using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Spectre.Console;
using StyleLab.Data;
using StyleLab.Runtime;
using StyleLab.Weights;
using TorchSharp;

namespace StyleLab.Cli.Commands;

/// <summary><c>stylelab info</c>: versions, devices, threads, natives, and which weights and data were found where.</summary>
public static class InfoCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("info", "Show versions, devices, threads, native libraries, numerics, weights and data folders.");
        var numerics = new Option<bool>("--numerics")
        {
            Description = "Also check every convolution shape StyleLab's models use against float64 (forward and both gradients, 1 and 2 threads).",
        };
        command.Options.Add(numerics);
        command.SetAction(parse => Show(console, parse.GetValue(numerics)));
        return command;
    }

    static int Show(CliConsole console, bool survey)
    {
        NumericsException? wrong = null;
        try { TorchRuntime.EnsureLoaded(); }
        catch (NumericsException e) { wrong = e; }
        bool cuda = torch.cuda.is_available();
        var grid = new Grid().AddColumn().AddColumn();
        void row(string name, string value) => grid.AddRow($"[bold]{name}[/]", Markup.Escape(value));

        row("StyleLab", Version(typeof(WeightRegistry).Assembly));
        row("TorchSharp", Version(typeof(torch).Assembly));
        row("libtorch", LibTorchPackage() ?? "unknown");
        row(".NET", $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
        row("OS", RuntimeInformation.OSDescription);
        row("devices", cuda ? $"cpu, cuda × {torch.cuda.device_count()}" : "cpu (CUDA not available)");
        row("threads", $"{torch.get_num_threads()} (torch.get_num_threads; {Environment.ProcessorCount} logical CPUs)");
        row("natives", TorchRuntime.NativeDirectory ?? "resolved by TorchSharp itself");
        row("scalar quarantine", ScalarQuarantine.Status);
        var report = TorchRuntime.Numerics!;
        row("numerics", report.Summary);
        row("  CPU caches", report.Cpu.ToString());
        row("  oneDNN", report.OneDnn + (report.DetectedCacheSizes is var (l1, l2, l3) ? $"; detected L1 {l1}, L2 {l2}, L3 {l3} bytes per core" : ""));
        foreach (var failure in report.SelfTest.Where(e => !e.Passed)) row("  self-test", failure.ToString());
        int status = wrong is null ? ExitCodes.Success : ExitCodes.Failure;
        if (survey && wrong is null)
        {
            var errors = ConvolutionCheck.Run(ConvolutionCase.Survey, [1, 2]);
            foreach (var error in errors) row(error.Passed ? "  ok" : "  WRONG", error.ToString());
            row("  survey", $"{errors.Count(e => e.Passed)} of {errors.Count} convolution checks match float64");
            if (!errors.All(e => e.Passed)) status = ExitCodes.Failure;
        }

        using var resolver = new WeightResolver();
        var found = resolver.Registry.All.Select(e => (e, at: resolver.Locate(e.Id))).Where(x => x.at is not null).ToList();
        row("weights", found.Count == 0 ? "none found" : $"{found.Count} of {resolver.Registry.All.Count} found");
        foreach (var (entry, at) in found) row($"  {entry.Id}", $"{at!.Path} ({at.Place.Origin})");
        row("weights search", string.Join("; ", resolver.Places));

        using var data = new SampleData();
        row("data", data.FirstExistingPlace?.ToString() ?? $"none found; samples download into {data.CacheDirectory}");
        console.Out.Write(grid);
        if (wrong is not null) console.Error.WriteLine($"error: {wrong.Message}");
        return status;
    }

    static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The libtorch package the app was built with, from its .deps.json (CPU or a swapped-in CUDA one).</summary>
    static string? LibTorchPackage()
    {
        var files = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "").Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.deps.json"));
        foreach (var file in files.Where(File.Exists).Distinct())
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            if (!json.RootElement.TryGetProperty("libraries", out var libraries)) continue;
            foreach (var library in libraries.EnumerateObject())
                if (library.Name.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase))
                {
                    var parts = library.Name.Split('/');
                    return $"{parts[1]} ({parts[0]})";
                }
        }
        return null;
    }
}
