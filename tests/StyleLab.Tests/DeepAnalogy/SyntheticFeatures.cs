using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.DeepAnalogy;

/// <summary>Random feature maps whose patches are all distinct, and arrangements of them with a known answer.</summary>
static class SyntheticFeatures
{
    public static Tensor Random(int channels, int height, int width, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return randn([1, channels, height, width], generator: generator);
    }

    /// <summary>The tiles (size×size) of <paramref name="b"/> rearranged: tile t of the result is tile permutation[t] of b.</summary>
    public static Tensor PermuteTiles(Tensor b, int size, int[] permutation)
    {
        int rows = (int)b.shape[2] / size, cols = (int)b.shape[3] / size;
        var result = zeros_like(b);
        for (int t = 0; t < rows * cols; t++)
        {
            int s = permutation[t];
            result[.., .., (t / cols * size)..((t / cols + 1) * size), (t % cols * size)..((t % cols + 1) * size)] =
                b[.., .., (s / cols * size)..((s / cols + 1) * size), (s % cols * size)..((s % cols + 1) * size)];
        }
        return result;
    }

    public static long[,,] ToArray(Tensor field)
    {
        var values = field.cpu().data<long>().ToArray();
        int h = (int)field.shape[0], w = (int)field.shape[1];
        var result = new long[h, w, 2];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(long));
        return result;
    }
}
