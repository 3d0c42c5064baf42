using System.Diagnostics;
using StyleLab.Methods.SANet;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// SANet inference timings: the full-size architecture (VGG-19 to relu5_1, SANets at relu4_1 and relu5_1,
/// merge, relu4_1 decoder) with random weights, content and style of the same size; median of N runs after
/// one warm-up. Compare with tools/bench/sanet_reference.py (PyTorch, the official architecture).
/// Usage: sanet [--sizes 256,512 --repeat 3 --levels both|shallow]
/// </summary>
static class SANetBenchmark
{
    public static int Run(string[] args)
    {
        var sizes = new List<int> { 256, 512 };
        int repeat = 3;
        var levels = SANetLevels.Both;
        for (int i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--sizes": sizes = args[i + 1].Split(',').Select(int.Parse).ToList(); break;
                case "--repeat": repeat = int.Parse(args[i + 1]); break;
                case "--levels": levels = Enum.Parse<SANetLevels>(args[i + 1], ignoreCase: true); break;
                default: Console.Error.WriteLine($"error: unknown option {args[i]}"); return 2;
            }
        }
        Console.WriteLine($"SANet (random weights, full size), threads {torch.get_num_threads()}, cores {Environment.ProcessorCount}, load {File.ReadAllText("/proc/loadavg").Trim()}");
        using var model = SANetModel.Random(SANetLayers.Paper, seed: 0);
        var options = new SANetOptions(Levels: levels);
        foreach (int size in sizes)
        {
            using var content = rand(1, 3, size, size);
            using var style = rand(1, 3, size, size);
            model.Stylize(content, style, options).Dispose();   // warm-up
            var wall = new List<double>();
            var cpu = new List<double>();
            for (int r = 0; r < repeat; r++)
            {
                var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                model.Stylize(content, style, options).Dispose();
                wall.Add(clock.Elapsed.TotalSeconds);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds);
            }
            Console.WriteLine($"sanet {levels.ToString().ToLowerInvariant(),-7} {size,5}  median {Median(wall):F3} s  min {wall.Min():F3} s  cpu {Median(cpu):F3} s");
        }
        return 0;
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
