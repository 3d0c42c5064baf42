using StyleLab.Imaging;
using StyleLab.Methods.DeepAnalogy;
using StyleLab.Methods.ImageAnalogies;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace StyleLab.Tests.BeforeNeural;

public class ImageAnalogiesTests(ITestOutputHelper output)
{
    static readonly ImageAnalogyOptions Small = new() { CoarsestSide = 12, PassesPerLevel = 2, PatchMatchIterations = 4, Seed = 3 };

    [Fact]
    public void With_A_prime_equal_to_A_and_B_equal_to_A_the_analogy_returns_B()
    {
        using var image = ImageQuiltingTests.SmoothNoise(48, seed: 1);
        using var result = ImageAnalogy.Run(image, image, image, Small);
        Assert.True((result.BPrime - image).abs().max().item<float>() < 1e-4f);
    }

    [Fact]
    public void With_A_prime_equal_to_A_the_analogy_returns_B_up_to_the_luminance_remapping()
    {
        // The identity filter learned from one image, applied to another: B′ is B rebuilt from A's pixels, whose
        // luminance was remapped to B's mean and deviation. Its chrominance is B's exactly; its luminance follows B's
        // (measured r = 0.944, mean absolute error 0.031 on these smooth random images; asserted r > 0.9, error < 0.05).
        using var a = ImageQuiltingTests.SmoothNoise(64, seed: 1);
        using var b = ImageQuiltingTests.SmoothNoise(48, seed: 2);
        using var result = ImageAnalogy.Run(a, a, b, Small);
        using var yiqOut = ColorTransfer.RgbToYiq(result.BPrime);
        using var yiqB = ColorTransfer.RgbToYiq(b);
        double r = Correlation(yiqOut[0, 0], yiqB[0, 0]);
        double error = (yiqOut[0, 0] - yiqB[0, 0]).abs().mean().item<float>();
        output.WriteLine($"A′ = A: r = {r:F4}, mean |ΔY| = {error:F4}");
        Assert.True(r > 0.9 && error < 0.05, $"r = {r:F4}, mean |ΔY| = {error:F4}");
        Assert.True((yiqOut[0, 1..] - yiqB[0, 1..]).abs().max().item<float>() < 0.02f, "I and Q come from B (up to clamping)");
    }

    [Fact]
    public void An_inverting_filter_learned_from_A_is_applied_to_B()
    {
        // A′ = 1 − A: a filter B never shows. B′'s luminance anticorrelates with B's.
        using var a = ImageQuiltingTests.SmoothNoise(64, seed: 4);
        using var aPrime = 1 - a;
        using var b = ImageQuiltingTests.SmoothNoise(48, seed: 5);
        using var result = ImageAnalogy.Run(a, aPrime, b, Small);
        using var yOut = ColorTransfer.RgbToYiq(result.BPrime)[0, 0];
        using var yB = ColorTransfer.RgbToYiq(b)[0, 0];
        double r = Correlation(yOut, yB);
        output.WriteLine($"A′ = 1 − A: r = {r:F4}");
        Assert.True(r < -0.9, $"r = {r:F4}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_analogy()
    {
        using var a = ImageQuiltingTests.SmoothNoise(40, seed: 6);
        using var aPrime = a.flip(3);
        using var b = ImageQuiltingTests.SmoothNoise(36, seed: 7);
        using var one = ImageAnalogy.Run(a, aPrime, b, Small);
        using var two = ImageAnalogy.Run(a, aPrime, b, Small);
        Assert.Equal(0f, (one.BPrime - two.BPrime).abs().max().item<float>());
        Assert.True(one.Source.Coordinates.equal(two.Source.Coordinates).all().item<bool>());
    }

    [Fact]
    public void The_cosine_ranking_of_the_embedded_features_is_the_Euclidean_ranking()
    {
        // PatchMatch's distance is 2 − cos on its inputs; after the embedding, sorting A's vectors by cosine to a B vector
        // sorts them by Euclidean distance.
        using var generator = new Generator(11);
        using var fa = rand([1, 6, 10, 12], generator: generator);
        using var fb = rand([1, 6, 7, 9], generator: generator);
        using var query = EuclideanEmbedding.Query(fb).view(8, -1).to(ScalarType.Float64);
        using var database = EuclideanEmbedding.Database(fa).view(8, -1).to(ScalarType.Float64);
        using var cosine = query.t().mm(database) / (query.norm(0).view(-1, 1) * database.norm(0).view(1, -1));   // [63, 120]
        using var euclidean = (fb.view(6, -1, 1) - fa.view(6, 1, -1)).square().sum(dim: 0).to(ScalarType.Float64);
        using var order = cosine.argsort(1, descending: true);
        using var sorted = euclidean.gather(1, order);
        Assert.True((sorted[.., 1..] - sorted[.., ..^1]).min().item<double>() >= -1e-9, "distances grow as the cosine falls");
        Assert.True(database.norm(0).std().item<double>() < 1e-5 * database.norm(0).mean().item<double>(), "every database vector has the same norm");
    }

    static double Correlation(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var a = x.flatten().to(ScalarType.Float64);
        var b = y.flatten().to(ScalarType.Float64);
        a = a - a.mean();
        b = b - b.mean();
        return ((a * b).sum() / (a.norm() * b.norm())).item<double>();
    }
}
