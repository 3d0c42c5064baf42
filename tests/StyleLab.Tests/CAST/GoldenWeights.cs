using static TorchSharp.torch;

namespace StyleLab.Tests.CAST;

/// <summary>The deterministic weights and inputs of tools/fixtures/make_cast_golden.py, computed the same way.</summary>
static class GoldenWeights
{
    static long KeyHash(string key) => key.Sum(c => (long)c) % 1000;

    static double[] Uniform(string key, long n)
    {
        var values = new double[n];
        long h = KeyHash(key);
        for (long i = 0; i < n; i++)
        {
            ulong x = (ulong)(i * 2654435761L + h * 40503 + 12345) & 0xFFFFFFFF;
            x = (((x >> 16) ^ x) * 0x45D9F3B) & 0xFFFFFFFF;
            x = (((x >> 16) ^ x) * 0x45D9F3B) & 0xFFFFFFFF;
            x = (x >> 16) ^ x;
            values[i] = x / 4294967296.0 * 2 - 1;
        }
        return values;
    }

    /// <summary>The value of the tensor with this official key and shape.</summary>
    public static Tensor Fill(string key, long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        var u = Uniform(key, n);
        string name = key[(key.LastIndexOf('.') + 1)..];
        Func<double, double> f = name switch
        {
            "weight" when shape.Length >= 2 => x => Math.Sqrt(6.0 / (n / shape[0])) * x,
            "weight" => x => 1 + 0.2 * x,
            "bias" or "running_mean" => x => 0.1 * x,
            "running_var" => x => 1 + 0.5 * x * x,
            _ => throw new ArgumentException(key),
        };
        return tensor(u.Select(x => (float)f(x)).ToArray()).reshape(shape);
    }

    /// <summary>Fills every parameter and statistics buffer of a module whose keys are the official ones (prefixing keys for the hash).</summary>
    public static void FillModule(TorchSharp.torch.nn.Module module, string prefix = "")
    {
        using var _ = no_grad();
        foreach (var (key, t) in module.state_dict())
        {
            var name = key[(key.LastIndexOf('.') + 1)..];
            if (name is "filt" or "num_batches_tracked" or "queue_data" or "queue_ptr") continue;
            using var value = Fill(prefix + key, t.shape);
            t.copy_(value);
        }
    }

    /// <summary>make_cast_golden.image: a smooth image batch in [-1,1].</summary>
    public static Tensor Image(int n, int h, int w, double phase)
    {
        var data = new float[n * 3 * h * w];
        int k = 0;
        for (int b = 0; b < n; b++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        data[k++] = (float)(0.9 * Math.Sin(0.11 * x * (c + 1) + 0.07 * y + 1.3 * b + c + phase) * Math.Cos(0.05 * y * (2 - c) + 0.3 * b));
        return tensor(data).reshape(n, 3, h, w);
    }

    /// <summary>make_cast_golden.unit_rows: n unit rows of d entries.</summary>
    public static Tensor UnitRows(int n, int d, double phase)
    {
        var data = new double[n * d];
        for (int i = 0; i < n * d; i++) data[i] = Math.Sin(0.37 * i + phase) + 0.3 * Math.Cos(1.1 * i * (phase + 1));
        using var t = tensor(data).reshape(n, d);
        using var normalised = nn.functional.normalize(t, dim: 1);
        return normalised.to(ScalarType.Float32);
    }

    public static Dictionary<string, Tensor> Golden() =>
        StyleLab.Weights.StateDictFile.Load(TestPaths.Fixture("cast", "cast_golden.safetensors"), out _);
}
