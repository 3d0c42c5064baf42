using CsCheck;
using StyleLab.Methods.WCT;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Tests.WCT;

public class WhiteningColoringTests
{
    /// <summary>
    /// Features [1,C,H,W] with correlated channels of different scales: Gaussians mixed by a random rotation
    /// and scales in [0.5, 3], so the covariance is well conditioned (no eigenvalue near the 1e-5 cut-off
    /// unless there are fewer positions than channels).
    /// </summary>
    static Tensor Correlated(Generator generator, long c, long h, long w, double shift)
    {
        var (rotation, _) = linalg.qr(randn([c, c], generator: generator, dtype: ScalarType.Float64));
        var mixing = rotation * (rand([1, c], generator: generator, dtype: ScalarType.Float64) * 2.5 + 0.5);
        var noise = randn([c, h * w], generator: generator, dtype: ScalarType.Float64);
        return (mixing.matmul(noise) + shift).view(1, c, h, w).to(ScalarType.Float32);
    }

    static Tensor Covariance(Tensor features) => WhiteningColoring.Moments(features.flatten(2).squeeze(0)).Covariance;

    static Tensor Mean(Tensor features) => WhiteningColoring.Moments(features.flatten(2).squeeze(0)).Mean;

    [Fact]
    public void Coloured_features_carry_the_styles_covariance_and_mean()
    {
        Gen.Select(Gen.Int[2, 12], Gen.Int[4, 9], Gen.Int[4, 9], Gen.Long).Sample((c, h, w, seed) =>
        {
            using var scope = NewDisposeScope();
            var generator = new Generator((ulong)seed);
            var content = Correlated(generator, c, h, w, 1.5);
            var style = Correlated(generator, c, h + 2, w + 1, -0.5) * 2;
            var output = WhiteningColoring.Transform(content, style).to(ScalarType.Float64);
            Assert.True(allclose(Covariance(output), Covariance(style), rtol: 1e-3, atol: 1e-3), "covariance differs from the style's");
            Assert.True(allclose(Mean(output), Mean(style), rtol: 1e-4, atol: 1e-4), "mean differs from the style's");
        }, iter: 40, threads: 1);
    }

    [Fact]
    public void Whitened_features_have_zero_mean_and_identity_covariance_on_the_kept_subspace()
    {
        Gen.Select(Gen.Int[2, 16], Gen.Int[2, 6], Gen.Int[2, 6], Gen.Long).Sample((c, h, w, seed) =>
        {
            using var scope = NewDisposeScope();
            var generator = new Generator((ulong)seed);
            var content = Correlated(generator, c, h, w, 3);   // H·W − 1 may be below C: then rank-deficient
            var whitened = WhiteningColoring.Whiten(content);
            var covariance = Covariance(whitened);
            long rank = WhiteningColoring.Rank(Covariance(content));
            // The covariance is the projector onto the kept eigen-subspace: eigenvalues 1 (rank times) and 0.
            var eigenvalues = linalg.eigvalsh(covariance);
            var expected = cat([zeros(c - rank, dtype: ScalarType.Float64), ones(rank, dtype: ScalarType.Float64)]);
            Assert.True(allclose(eigenvalues, expected, atol: 1e-6), $"eigenvalues {string.Join(", ", eigenvalues.data<double>().ToArray())} for rank {rank}");
            Assert.True(allclose(covariance.matmul(covariance), covariance, atol: 1e-6), "not a projector");
            Assert.True(Mean(whitened).abs().max().item<double>() < 1e-8, "whitened mean is not zero");
            if (rank == c) Assert.True(allclose(covariance, eye(c, dtype: ScalarType.Float64), atol: 1e-6), "full rank but not the identity");
        }, iter: 40, threads: 1);
    }

    [Fact]
    public void Alpha_zero_returns_the_content_features_exactly()
    {
        Gen.Select(Gen.Int[2, 8], Gen.Int[2, 6], Gen.Long).Sample((c, h, seed) =>
        {
            using var scope = NewDisposeScope();
            var generator = new Generator((ulong)seed);
            var content = Correlated(generator, c, h, h + 1, 0.2);
            var style = Correlated(generator, c, h + 1, h, 1);
            Assert.True(WhiteningColoring.Transform(content, style, alpha: 0).equal(content).all().item<bool>());
        }, iter: 20, threads: 1);
    }

    [Fact]
    public void Alpha_blends_linearly_between_content_and_full_transfer()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var content = Correlated(generator, 6, 5, 5, 0);
        var style = Correlated(generator, 6, 6, 4, 2);
        var full = WhiteningColoring.Transform(content, style, alpha: 1);
        var part = WhiteningColoring.Transform(content, style, alpha: 0.3);
        Assert.True(allclose(part, 0.3 * full + 0.7 * content, atol: 1e-5));
        Assert.Throws<ArgumentOutOfRangeException>(() => WhiteningColoring.Transform(content, style, alpha: 1.5));
    }

    [Fact]
    public void Interpolation_with_one_nonzero_weight_equals_single_style_transfer()
    {
        Gen.Select(Gen.Int[2, 8], Gen.Int[0, 2], Gen.Double[0, 1], Gen.Long).Sample((c, which, alpha, seed) =>
        {
            using var scope = NewDisposeScope();
            var generator = new Generator((ulong)seed);
            var content = Correlated(generator, c, 5, 4, 0.5);
            Tensor[] styles = [Correlated(generator, c, 4, 6, 1), Correlated(generator, c, 6, 6, -1), Correlated(generator, c, 5, 5, 3)];
            var weights = new double[3];
            weights[which] = 2.5; // normalised to 1
            var mixed = WhiteningColoring.Transform(content, styles, weights, alpha);
            var single = WhiteningColoring.Transform(content, styles[which], alpha);
            Assert.True(allclose(mixed, single, rtol: 1e-6, atol: 1e-6));
        }, iter: 20, threads: 1);
    }

    [Fact]
    public void Masks_restrict_each_styles_statistics_to_its_region()
    {
        Gen.Select(Gen.Int[2, 6], Gen.Int[3, 8], Gen.Long).Sample((c, split, seed) =>
        {
            using var scope = NewDisposeScope();
            var generator = new Generator((ulong)seed);
            const int H = 10, W = 8;
            var content = Correlated(generator, c, H, W, 0);
            Tensor[] styles = [Correlated(generator, c, 7, 7, 4) * 3, Correlated(generator, c, 6, 8, -2) * 0.5];
            // Rows above the split take style 0, the rest style 1; one column keeps the content.
            var regions = where(arange(H).view(H, 1).expand(H, W) < split, 0L, 1L).to(ScalarType.Int64).clone();
            regions[.., 0] = -1;
            var output = WhiteningColoring.TransformRegions(content, styles, regions);
            var flatOut = output.flatten(2).squeeze(0);
            var labels = regions.flatten();
            for (int k = 0; k < 2; k++)
            {
                var inside = flatOut.index_select(1, nonzero(labels == k).squeeze(1)).to(ScalarType.Float64);
                var (mean, covariance) = WhiteningColoring.Moments(inside);
                long positions = inside.shape[1];
                // A region of n positions reaches at most rank n − 1; with enough positions it is the style's.
                if (positions - 1 >= c)
                {
                    Assert.True(allclose(covariance, Covariance(styles[k]), rtol: 1e-3, atol: 1e-3), $"region {k}: covariance is not style {k}'s");
                    Assert.True(allclose(mean, Mean(styles[k]), rtol: 1e-4, atol: 1e-4), $"region {k}: mean is not style {k}'s");
                }
            }
            var kept = nonzero(labels == -1).squeeze(1);
            Assert.True(flatOut.index_select(1, kept).equal(content.flatten(2).squeeze(0).index_select(1, kept)).all().item<bool>(), "unmasked positions changed");
        }, iter: 20, threads: 1);
    }

    [Fact]
    public void Whitening_and_colouring_equal_the_official_algorithm_in_PyTorch()
    {
        using var golden = new GoldenFile(TestPaths.Fixture("wct", "whiten_color.pth"));
        var content = golden["content"];
        foreach (var style in new[] { "style", "narrow" })
        {
            foreach (var reg in new[] { 0, 1 })
            {
                var s = golden[style];
                using var whitened = WhiteningColoring.Whiten(content, regularization: reg);
                AssertClose(golden[$"{style}.reg{reg}.whitened"], whitened, $"{style} reg {reg} whitened");
                using var full = WhiteningColoring.Transform(content.to(ScalarType.Float64), s, alpha: 1, contentRegularization: reg);
                AssertClose(golden[$"{style}.reg{reg}.wct"], full, $"{style} reg {reg} wct");
                using var blended = WhiteningColoring.Transform(content.to(ScalarType.Float64), s, alpha: 0.6, contentRegularization: reg);
                AssertClose(golden[$"{style}.reg{reg}.alpha0.6"], blended, $"{style} reg {reg} α 0.6");
            }
        }
        // Content with fewer positions than channels: eigenvalues dropped on the whitening side.
        using var narrowWhite = WhiteningColoring.Whiten(golden["narrow"]);
        AssertClose(golden["narrow_content.whitened"], narrowWhite, "rank-deficient whitening");
        using var narrowWct = WhiteningColoring.Transform(golden["narrow"].to(ScalarType.Float64), golden["style"]);
        AssertClose(golden["narrow_content.wct"], narrowWct, "rank-deficient WCT");
        // The official interpolation: whiten once, colour with each style, mix.
        using var mixed = WhiteningColoring.Transform(content.to(ScalarType.Float64), [golden["style"], golden["style2"]], [0.3, 0.7], alpha: 0.6);
        AssertClose(golden["interpolation.0.3_0.7.alpha0.6"], mixed, "interpolation");
    }

    static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double error = (expected.to(ScalarType.Float64) - actual.to(ScalarType.Float64)).abs().max().item<double>();
        double scale = expected.abs().max().item<double>();
        Assert.True(error <= 1e-7 * Math.Max(1, scale), $"{what}: max |Δ| = {error:G3} (scale {scale:G3})");
    }

    [Fact]
    public void Bad_inputs_are_named()
    {
        using var content = randn(1, 4, 3, 3);
        using var style = randn(1, 5, 3, 3);
        Assert.Contains("channels", Assert.Throws<ArgumentException>(() => WhiteningColoring.Transform(content, style)).Message);
        using var batch = randn(2, 4, 3, 3);
        Assert.Contains("[1,C,H,W]", Assert.Throws<ArgumentException>(() => WhiteningColoring.Whiten(batch)).Message);
        Assert.Contains("weights", Assert.Throws<ArgumentException>(() => WhiteningColoring.Transform(content, [content], [1.0, 2.0])).Message);
    }
}

/// <summary>A golden file's tensors by name (disposed together).</summary>
sealed class GoldenFile : IDisposable
{
    readonly Dictionary<string, Tensor> _tensors;

    public GoldenFile(string path) => _tensors = StateDictFile.Load(path);

    public Tensor this[string name] => _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"golden file lacks '{name}'");

    public void Dispose()
    {
        foreach (var t in _tensors.Values) t.Dispose();
    }
}
