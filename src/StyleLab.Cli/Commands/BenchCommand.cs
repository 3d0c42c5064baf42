using System.CommandLine;
using Spectre.Console;
using StyleLab.Diagnostics;
using StyleLab.Runtime;
using TorchSharp;

namespace StyleLab.Cli.Commands;

/// <summary>
/// <c>stylelab bench</c>: times a VGG-19 forward pass and one Gatys iteration (the workloads of
/// <see cref="GatysBenchmark"/>, shared with bench/StyleLab.Benchmarks) and compares with the analytic FLOPs.
/// </summary>
public static class BenchCommand
{
    public static Command Create(CliConsole console)
    {
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated square image sizes.", DefaultValueFactory = _ => "256,512" };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs per workload (the median is reported).", DefaultValueFactory = _ => 5 };
        var threads = new Option<int?>("--threads") { Description = "torch.set_num_threads before timing (default: libtorch's choice)." };
        var device = GlobalOptions.Device();
        var command = new Command("bench", "Time VGG-19 forward and one Gatys iteration; report GFLOP/s and peak memory.") { sizes, repeat, threads, device };
        command.SetAction((parse, ct) => Task.Run(() => Run(console, ParseSizes(parse.GetValue(sizes)!), parse.GetValue(repeat),
            parse.GetValue(threads), parse.GetValue(device)!, ct), ct));
        command.Subcommands.Add(AdaIN(console));
        command.Subcommands.Add(VideoBenchCommand.Create(console));
        return command;
    }

    /// <summary><c>stylelab bench adain</c>: one AdaIN style transfer (encoder to relu4_1 twice, AdaIN, decoder), random weights.</summary>
    static Command AdaIN(CliConsole console)
    {
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated square image sizes.", DefaultValueFactory = _ => "256,512" };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs per size (the median is reported).", DefaultValueFactory = _ => 5 };
        var device = GlobalOptions.Device();
        var command = new Command("adain", "Time one AdaIN style transfer at full size (random weights); compare with tools/bench/adain_reference.py.") { sizes, repeat, device };
        command.SetAction((parse, ct) => Task.Run(() =>
        {
            int n = parse.GetValue(repeat);
            if (n < 1) throw new UsageException($"--repeat must be at least 1, not {n}.");
            var torchDevice = TorchRuntime.ParseDevice(parse.GetValue(device));
            console.Out.MarkupLine($"AdaIN (normalised VGG-19 to relu4_1 on content and style, AdaIN, decoder; random weights), device {torchDevice}, " +
                $"{torch.get_num_threads()} threads, median of {n} after 1 warm-up.");
            var table = new Table().AddColumns("workload", "size", "median s", "min s", "cpu s", "GFLOP", "GFLOP/s");
            AdaINBenchmark.Run(ParseSizes(parse.GetValue(sizes)!), n, device: torchDevice, progress: new Reporter(console, table), cancellationToken: ct);
            console.Out.Write(table);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    static int Run(CliConsole console, IReadOnlyList<int> sizes, int repeat, int? threads, string deviceName, CancellationToken cancellationToken)
    {
        if (repeat < 1) throw new UsageException($"--repeat must be at least 1, not {repeat}.");
        var device = TorchRuntime.ParseDevice(deviceName);
        if (threads is { } n)
        {
            if (n < 1) throw new UsageException($"--threads must be at least 1, not {n}.");
            torch.set_num_threads(n);
        }
        console.Out.MarkupLine($"VGG-19 (random weights), device {device}, {torch.get_num_threads()} threads, median of {repeat} after 1 warm-up.");
        var table = new Table().AddColumns("workload", "size", "median s", "min s", "cpu s", "GFLOP", "GFLOP/s");
        var progress = new Reporter(console, table);
        GatysBenchmark.Run(sizes, repeat, device: device, progress: progress, cancellationToken: cancellationToken);
        console.Out.Write(table);
        console.Out.MarkupLine($"peak RSS {GatysBenchmark.PeakResidentBytes() / 1048576.0:F0} MiB. " +
            "forward: image → relu5_1, no autograd. gatys: forward + 5 Gram losses (relu1_1…relu5_1) + content (relu4_2) + backward to the image; FLOPs = 2 × conv forward + 6·C²·HW per Gram.");
        return ExitCodes.Success;
    }

    static IReadOnlyList<int> ParseSizes(string text)
    {
        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, out int size))
                throw new UsageException($"--sizes: '{part}' is not an image size of at least 32 pixels.");
            sizes.Add(SizeOption.Check(size, "--sizes", minimum: 32));
        }
        return sizes.Count > 0 ? sizes : throw new UsageException("--sizes is empty.");
    }

    sealed class Reporter(CliConsole console, Table table) : IProgress<BenchmarkResult>
    {
        public void Report(BenchmarkResult r)
        {
            console.Out.MarkupLine($"[grey]{r.Workload} {r.Size}²: {r.Seconds:F3} s[/]");
            table.AddRow(r.Workload, r.Size.ToString(), $"{r.Seconds:F3}", $"{r.Timing.Min:F3}", $"{r.Timing.CpuMedian:F3}", $"{r.Flops / 1e9:F1}", $"{r.GflopsPerSecond:F1}");
        }
    }
}
