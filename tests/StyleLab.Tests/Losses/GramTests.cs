using CsCheck;
using StyleLab.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Losses;

public class GramTests
{
    [Fact]
    public void Gram_matrix_is_the_channel_correlations_summed_over_positions()
    {
        // Channel 0 = (1, 2), channel 1 = (3, 4): G = [[1+4, 3+8], [3+8, 9+16]].
        using var features = tensor(new float[] { 1, 2, 3, 4 }).view(1, 2, 1, 2);
        using var gram = Gram.Matrix(features);
        Assert.Equal(new long[] { 1, 2, 2 }, gram.shape);
        Assert.Equal(new float[] { 5, 11, 11, 25 }, gram.data<float>().ToArray());
    }

    [Fact]
    public void Gram_matrix_equals_explicit_loops()
    {
        using var features = randn(2, 3, 4, 5, generator: new Generator(7));
        using var gram = Gram.Matrix(features);
        var f = features.data<float>().ToArray();
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                {
                    double sum = 0;
                    for (int k = 0; k < 20; k++) sum += f[(n * 3 + i) * 20 + k] * f[(n * 3 + j) * 20 + k];
                    Assert.Equal(sum, gram[n, i, j].item<float>(), 1e-5 * Math.Max(1, Math.Abs(sum)));
                }
    }

    [Fact]
    public void Guided_gram_counts_only_the_masked_positions()
    {
        using var features = tensor(new float[] { 1, 2, 3, 4 }).view(1, 2, 1, 2);
        using var mask = tensor(new float[] { 1, 0 }).view(1, 1, 1, 2);
        using var gram = Gram.Matrix(features, mask);
        Assert.Equal(new float[] { 1, 3, 3, 9 }, gram.data<float>().ToArray());
        using var positions = Gram.Positions(features, mask);
        Assert.Equal(1f, positions.item<float>());
    }

    [Fact]
    public void Guided_gram_with_an_all_ones_mask_is_the_plain_gram()
    {
        using var features = rand(1, 8, 6, 10, generator: new Generator(3));
        using var ones = torch.ones(1, 1, 24, 40);   // image resolution: resized to the layer's
        using var guided = Gram.Matrix(features, ones);
        using var plain = Gram.Matrix(features);
        Assert.True(guided.allclose(plain, rtol: 1e-5, atol: 1e-5));
        using var positions = Gram.Positions(features, ones);
        Assert.Equal(60f, positions.item<float>(), 3);
    }

    [Fact]
    public void Gram_matrix_is_symmetric_positive_semidefinite()
    {
        Gen.Select(Gen.Int[1, 2], Gen.Int[1, 6], Gen.Int[1, 5], Gen.Int[1, 5], Gen.ULong).Sample((n, c, h, w, seed) =>
        {
            using var scope = NewDisposeScope();
            var features = randn(new long[] { n, c, h, w }, generator: new Generator(seed), dtype: ScalarType.Float64);
            var gram = Gram.Matrix(features);
            Assert.True(gram.allclose(gram.transpose(1, 2)));
            var smallest = linalg.eigvalsh(gram).min().item<double>();
            Assert.True(smallest >= -1e-9 * Math.Max(1, gram.abs().max().item<double>()), $"eigenvalue {smallest} for [{n},{c},{h},{w}]");
        }, iter: 60);
    }
}
