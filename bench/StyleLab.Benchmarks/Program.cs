using StyleLab.Diagnostics;
using StyleLab.Runtime;
using TorchSharp;

// StyleLab's timing harness: the same workloads as `stylelab bench` (StyleLab.Diagnostics.GatysBenchmark).
// Usage: dotnet run -c Release --project bench/StyleLab.Benchmarks [-- --sizes 256,512 --repeat 5 --threads N --device cpu]
// CAST inference: … [-- cast --sizes 256,512 --repeat 5] (CastBenchmark.cs)
// Deep Image Analogy: … [-- analogy --repeat N --weights VGG --a A.jpg --b B.jpg --size 224 --out DIR] (DeepAnalogyBenchmark.cs)
// SANet: … [-- sanet --sizes 256,512 --repeat 3 --levels both|shallow] (SANetBenchmark.cs)
if (args.Length > 0 && args[0] == "analogy") return DeepAnalogyBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "sanet") return SANetBenchmark.Run(args[1..]);
if (args.Length > 0 && args[0] == "cast") return CastBenchmark.Run(args[1..]);
// WCT: … [-- wct --sizes 256,512 --repeat 3 --threads N] (WctBenchmark.cs; PyTorch reference tools/bench/wct_reference.py)
if (args.Length > 0 && args[0] == "wct") return WctBenchmark.Run(args[1..]);
// AdaIN: … [-- adain --sizes 256,512 --repeat 5] (StyleLab.Diagnostics.AdaINBenchmark; PyTorch: tools/bench/adain_reference.py)
bool adain = args.Length > 0 && args[0] == "adain";
if (adain) args = args[1..];
var sizes = new List<int> { 256, 512 };
int repeat = 5;
string device = "cpu";
for (int i = 0; i < args.Length - 1; i += 2)
{
    switch (args[i])
    {
        case "--sizes": sizes = args[i + 1].Split(',').Select(int.Parse).ToList(); break;
        case "--repeat": repeat = int.Parse(args[i + 1]); break;
        case "--threads": torch.set_num_threads(int.Parse(args[i + 1])); break;
        case "--device": device = args[i + 1]; break;
        default: Console.Error.WriteLine($"error: unknown option {args[i]}"); return 2;
    }
}

Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, threads {torch.get_num_threads()}, device {device}");
Console.WriteLine($"{"workload",-8} {"size",5} {"median s",10} {"min s",8} {"cpu s",8} {"GFLOP",8} {"GFLOP/s",8}");
if (adain) AdaINBenchmark.Run(sizes, repeat, device: TorchRuntime.ParseDevice(device), progress: new Printer());
else GatysBenchmark.Run(sizes, repeat, device: TorchRuntime.ParseDevice(device), progress: new Printer());
Console.WriteLine($"peak RSS {GatysBenchmark.PeakResidentBytes() / 1048576.0:F0} MiB");
return 0;

sealed class Printer : IProgress<BenchmarkResult>
{
    public void Report(BenchmarkResult r) =>
        Console.WriteLine($"{r.Workload,-8} {r.Size,5} {r.Seconds,10:F3} {r.Timing.Min,8:F3} {r.Timing.CpuMedian,8:F3} {r.Flops / 1e9,8:F1} {r.GflopsPerSecond,8:F1}");
}
