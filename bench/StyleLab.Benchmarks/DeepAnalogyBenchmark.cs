using System.Diagnostics;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Methods.DeepAnalogy;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Deep Image Analogy timings: five PatchMatch iterations on 224×224×64 features (the workload the
/// issue compares with the Python references: 14.7 s harveyslash, 5.2 s vectorised PyTorch), and the
/// whole pipeline per stage when VGG weights and images are given.
/// Usage: analogy [--repeat N] [--weights VGG.safetensors --a A.jpg --b B.jpg --size 224 --out DIR]
/// </summary>
static class DeepAnalogyBenchmark
{
    public static int Run(string[] args)
    {
        int repeat = 3, size = 224;
        string? weights = null, aPath = null, bPath = null, outDir = null;
        for (int i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--repeat": repeat = int.Parse(args[i + 1]); break;
                case "--weights": weights = args[i + 1]; break;
                case "--a": aPath = args[i + 1]; break;
                case "--b": bPath = args[i + 1]; break;
                case "--size": size = int.Parse(args[i + 1]); break;
                case "--out": outDir = args[i + 1]; break;
                default: Console.Error.WriteLine($"error: unknown option {args[i]}"); return 2;
            }
        }
        Console.WriteLine($"threads {torch.get_num_threads()}, cores {Environment.ProcessorCount}, load {File.ReadAllText("/proc/loadavg").Trim()}");
        if (Environment.GetEnvironmentVariable("STYLELAB_BENCH_SYNTHETIC") != "0") PatchMatchWorkload(repeat);
        if (weights is not null && aPath is not null && bPath is not null) RealFeatureWorkload(weights, aPath, bPath, repeat);
        if (weights is not null && aPath is not null && bPath is not null) Pipeline(weights, aPath, bPath, size, outDir, repeat);
        return 0;
    }

    static void PatchMatchWorkload(int repeat)
    {
        using var a = randn(1, 64, 224, 224).relu();
        using var b = randn(1, 64, 224, 224).relu();
        using (var big = zeros(227, 227, 128))
        {
            var clock = Stopwatch.StartNew();
            long sum = 0;
            for (int i = 0; i < 20; i++) sum += big.bytes.Length;
            Console.WriteLine($"bytes accessor on 26 MB: {clock.Elapsed.TotalMilliseconds / 20:F3} ms");
        }
        foreach (int patch in new[] { 3, 5 })
        {
            using var distance = new PatchDistance(a, a, b, b, patch);
            using var generator = new Generator(1);
            using var field = Nnf.Random(224, 224, 224, 224, generator);
            using var coherent = Nnf.Identity(224, 224, 224, 224);
            var (coherentWall, coherentCpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
            for (int i = 0; i < 20; i++) distance.Evaluate(coherent.Coordinates).Dispose();
            Console.WriteLine($"coherent field, {patch}×{patch}: SIMD kernel {coherentWall.Elapsed.TotalMilliseconds / 20:F1} ms wall, " +
                $"{(Process.GetCurrentProcess().TotalProcessorTime - coherentCpu).TotalMilliseconds / 20:F1} ms CPU");
            var (wall, cpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
            for (int i = 0; i < 20; i++) distance.Evaluate(field.Coordinates).Dispose();
            var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            wall.Stop();
            var tensorClock = Stopwatch.StartNew();
            for (int i = 0; i < 3; i++) distance.EvaluateWithTensors(field.Coordinates).Dispose();
            Console.WriteLine($"random field, {patch}×{patch}: SIMD kernel {wall.Elapsed.TotalMilliseconds / 20:F1} ms wall, " +
                $"{cpuUsed.TotalMilliseconds / 20:F1} ms CPU; tensor gathers {tensorClock.Elapsed.TotalMilliseconds / 3:F1} ms wall");
        }
        foreach (var (patch, jumps) in new[] { (3, new[] { 1 }), (5, new[] { 1 }), (3, new[] { 8, 4, 2, 1 }), (5, new[] { 8, 4, 2, 1 }) })
        {
            var settings = new PatchMatchSettings(patch, 4, 5, jumps);
            var times = new List<double>();
            for (int r = 0; r < repeat; r++)
            {
                using var generator = new Generator(1);
                using var start = Nnf.Random(224, 224, 224, 224, generator);
                var clock = Stopwatch.StartNew();
                using var distance = new PatchDistance(a, a, b, b, patch);
                using var result = PatchMatch.Search(distance, start, settings, generator);
                times.Add(clock.Elapsed.TotalSeconds);
            }
            Console.WriteLine($"PatchMatch 5 it, 224×224×64 (A,A′)→(B,B′), {patch}×{patch}, jumps {string.Join(",", jumps)} " +
                $"({settings.CandidatesPerIteration(224)} candidate fields/it): best {times.Min():F2} s, median {times.Order().ElementAt(times.Count / 2):F2} s");
        }
    }

    /// <summary>Five iterations on relu1_1 of two real 224×224 images (64 channels), from a random start: the issue's workload.</summary>
    static void RealFeatureWorkload(string weights, string aPath, string bPath, int repeat)
    {
        using var encoder = Vgg19Encoder.Load(weights);
        var load = new ImageLoadOptions { Size = Resize.Exact(224, 224) };
        using var a = ImageIO.Load(aPath, load);
        using var b = ImageIO.Load(bPath, load);
        using var fa = encoder.Encode(a, ["relu1_1"]);
        using var fb = encoder.Encode(b, ["relu1_1"]);
        foreach (var (patch, jumps) in new[] { (3, new[] { 8, 4, 2, 1 }), (5, new[] { 8, 4, 2, 1 }) })
        {
            var settings = new PatchMatchSettings(patch, 4, 5, jumps);
            var times = new List<double>();
            var cpu = new List<double>();
            for (int r = 0; r < repeat; r++)
            {
                using var generator = new Generator(1);
                using var start = Nnf.Random(224, 224, 224, 224, generator);
                var (clock, cpu0) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
                using var distance = new PatchDistance(fa["relu1_1"], fa["relu1_1"], fb["relu1_1"], fb["relu1_1"], patch);
                using var result = PatchMatch.Search(distance, start, settings, generator);
                times.Add(clock.Elapsed.TotalSeconds);
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds);
            }
            Console.WriteLine($"PatchMatch 5 it on relu1_1 224×224×64 (real images), {patch}×{patch}, jumps {string.Join(",", jumps)}: " +
                $"best {times.Min():F2} s wall ({cpu[times.IndexOf(times.Min())]:F2} s CPU), median {times.Order().ElementAt(times.Count / 2):F2} s");
        }
    }

    static void Pipeline(string weights, string aPath, string bPath, int size, string? outDir, int repeat)
    {
        using var encoder = Vgg19Encoder.Load(weights);
        var load = new ImageLoadOptions { Size = Resize.LongestSide(size) };
        using var a = ImageIO.Load(aPath, load);
        using var b = ImageIO.Load(bPath, load);
        var options = DeepAnalogyOptions.For(encoder);
        Console.WriteLine($"pipeline {a.shape[3]}×{a.shape[2]} ← {b.shape[3]}×{b.shape[2]}, levels {string.Join(", ", options.Levels.Select(l => l.Layer))}");
        for (int r = 0; r < repeat; r++)
        {
            var clock = Stopwatch.StartNew();
            using var result = DeepImageAnalogy.Run(encoder, a, b, options);
            Console.WriteLine($"run {r + 1}: total {clock.Elapsed.TotalSeconds:F1} s; " +
                string.Join("; ", result.TimeByStage.Select(kv => $"{kv.Key} {kv.Value.TotalSeconds:F2}")));
            if (r == 0)
                foreach (var t in result.Timings) Console.WriteLine($"  {t.Layer ?? "-",-8} {t.Stage,-16} {t.Duration.TotalSeconds,7:F2} s");
            if (r == 0 && outDir is not null) Save(result, a, b, outDir);
        }
    }

    static void Save(DeepAnalogyResult result, Tensor a, Tensor bPrime, string dir)
    {
        Directory.CreateDirectory(dir);
        ImageIO.Save(a, Path.Combine(dir, "A.png"));
        ImageIO.Save(bPrime, Path.Combine(dir, "BPrime.png"));
        ImageIO.Save(result.APrime, Path.Combine(dir, "APrime.png"));
        ImageIO.Save(result.B, Path.Combine(dir, "B.png"));
        using (var c = NnfColorMap.Coordinates(result.AToB)) ImageIO.Save(c, Path.Combine(dir, "nnf_ab.png"));
        using (var c = NnfColorMap.Coordinates(result.BToA)) ImageIO.Save(c, Path.Combine(dir, "nnf_ba.png"));
        using (var k = NnfColorMap.Key(result.AToB.TargetHeight, result.AToB.TargetWidth)) ImageIO.Save(k, Path.Combine(dir, "nnf_key_b.png"));
        using (var m = BidirectionalConsistency.Map(result.AToB, result.BToA))
        using (var g = BidirectionalConsistency.Image(m))
            ImageIO.Save(g, Path.Combine(dir, "consistency_ab.png"));
        foreach (var level in result.Levels)
        {
            ImageIO.Save(level.APrimeImage, Path.Combine(dir, $"level_{level.Layer}_APrime.png"));
            ImageIO.Save(level.BImage, Path.Combine(dir, $"level_{level.Layer}_B.png"));
        }
    }
}
