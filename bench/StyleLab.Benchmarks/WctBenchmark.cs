using StyleLab.Decoders;
using StyleLab.Diagnostics;
using StyleLab.Encoders;
using StyleLab.Methods.WCT;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// WCT timings (Li et al. 2017): the five-level pipeline relu5_1 → relu1_1 with a full-size VGG-19 and five
/// decoders, random weights, one content and one style image of S×S; also the whitening-colouring alone at
/// relu5_1 … relu1_1 features. Compare with tools/bench/wct_reference.py (the PytorchWCT algorithm).
/// Usage: wct [--sizes 256,512 --repeat 3 --threads N]
/// </summary>
static class WctBenchmark
{
    public static int Run(string[] args)
    {
        var sizes = new List<int> { 256, 512 };
        int repeat = 3;
        for (int i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--sizes": sizes = args[i + 1].Split(',').Select(int.Parse).ToList(); break;
                case "--repeat": repeat = int.Parse(args[i + 1]); break;
                case "--threads": torch.set_num_threads(int.Parse(args[i + 1])); break;
                default: Console.Error.WriteLine($"error: unknown option {args[i]}"); return 2;
            }
        }
        Console.WriteLine($"threads {torch.get_num_threads()}, cores {Environment.ProcessorCount}, load {File.ReadAllText("/proc/loadavg").Trim()}");
        using var encoder = Vgg19Encoder.Random(seed: 1, options: VggPresets.Normalised);
        random.manual_seed(2);
        var decoders = WctOptions.PaperLevels.Select(l => new VggDecoder(l)).ToList();
        using var pipeline = new UniversalStyleTransfer(encoder, decoders);
        var options = new WctOptions(Alpha: 0.6);
        Console.WriteLine($"{"workload",-10} {"size",5} {"median s",10} {"min s",8} {"cpu s",8}");
        foreach (int size in sizes)
        {
            using var content = rand(1, 3, size, size);
            using var style = rand(1, 3, size, size);
            var pipelineTiming = BenchmarkTiming.Measure(() => pipeline.Stylize(content, [style], options).Dispose(), repeat);
            Print("wct5", size, pipelineTiming);
            // The transforms alone, on the five levels' features of this size.
            using var contentFeatures = encoder.Encode(content, WctOptions.PaperLevels);
            using var styleFeatures = encoder.Encode(style, WctOptions.PaperLevels);
            var transformTiming = BenchmarkTiming.Measure(() =>
            {
                foreach (var layer in WctOptions.PaperLevels)
                    WhiteningColoring.Transform(contentFeatures[layer], styleFeatures[layer], 0.6).Dispose();
            }, repeat);
            Print("transform5", size, transformTiming);
        }
        foreach (var d in decoders) d.Dispose();
        return 0;
    }

    static void Print(string workload, int size, BenchmarkTiming t) =>
        Console.WriteLine($"{workload,-10} {size,5} {t.Median,10:F3} {t.Min,8:F3} {t.CpuMedian,8:F3}");
}
