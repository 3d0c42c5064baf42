using System.Diagnostics;
using StyleLab.Methods.CAST;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// CAST inference timings: the full-size generator (normalised VGG to relu4_1, AdaIN, Dec_B; random
/// weights) stylising a square photo with a square painting of the same size, median of N runs after a
/// warm-up; the MSP style code (stage 0, as the official default) of the same image. The PyTorch
/// reference is tools/bench/cast_reference.py.
/// Usage: cast [--sizes 256,512] [--repeat 5] [--device cpu]
/// </summary>
static class CastBenchmark
{
    public static int Run(string[] args)
    {
        var sizes = new List<int> { 256, 512 };
        int repeat = 5;
        string device = "cpu";
        for (int i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--sizes": sizes = args[i + 1].Split(',').Select(int.Parse).ToList(); break;
                case "--repeat": repeat = int.Parse(args[i + 1]); break;
                case "--device": device = args[i + 1]; break;
                default: Console.Error.WriteLine($"error: unknown option {args[i]}"); return 2;
            }
        }
        var dev = StyleLab.Runtime.TorchRuntime.ParseDevice(device);
        Console.WriteLine($"CAST inference · threads {torch.get_num_threads()}, cores {Environment.ProcessorCount}, load {File.ReadAllText("/proc/loadavg").Trim()}");
        using var generator = CastGenerator.Random("relu4_1", seed: 0, device: dev);
        generator.eval();
        using var projector = new MultiLayerStyleProjector();
        using var heads = new ProjectionHead();
        projector.to(dev);
        heads.to(dev);
        var codes = new StyleCodes(projector, heads);
        Console.WriteLine($"{"workload",-16} {"size",5} {"median s",10} {"min s",8}");
        foreach (int size in sizes)
        {
            using var content = rand(1, 3, size, size, device: dev);
            using var style = rand(1, 3, size, size, device: dev);
            Report("stylise", size, Time(repeat, () => generator.Stylize(content, style).Dispose()));
            codes = new StyleCodes(projector, heads, size: size);
            Report("style code", size, Time(repeat, () => codes.Of(content).Dispose()));
        }
        return 0;
    }

    static void Report(string workload, int size, double[] seconds) =>
        Console.WriteLine($"{workload,-16} {size,5} {seconds.Order().ElementAt(seconds.Length / 2),10:F3} {seconds.Min(),8:F3}");

    static double[] Time(int repeat, Action run)
    {
        run();
        return Enumerable.Range(0, repeat).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            run();
            return clock.Elapsed.TotalSeconds;
        }).ToArray();
    }
}
