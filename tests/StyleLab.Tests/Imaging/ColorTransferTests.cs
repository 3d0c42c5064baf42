using StyleLab.Imaging;
using TorchSharp;
using static StyleLab.Tests.Imaging.TestImages;
using static TorchSharp.torch;

namespace StyleLab.Tests.Imaging;

/// <summary>Colour preservation (Gatys et al. 2017): luminance-only transfer and colour matching.</summary>
public class ColorTransferTests
{
    [Fact]
    public void Yiq_round_trip_and_known_values()
    {
        using var scope = NewDisposeScope();
        var image = Random(2, 5, 7);
        var back = ColorTransfer.YiqToRgb(ColorTransfer.RgbToYiq(image));
        Assert.True(image.allclose(back, rtol: 0, atol: 1e-6));

        var white = ColorTransfer.RgbToYiq(ones(1, 3, 1, 1));
        Assert.True(white.allclose(tensor(new float[] { 1, 0, 0 }).view(1, 3, 1, 1), rtol: 0, atol: 1e-5));
        var red = ColorTransfer.RgbToYiq(tensor(new float[] { 1, 0, 0 }).view(1, 3, 1, 1));
        Assert.Equal(0.299f, red[0, 0, 0, 0].item<float>(), 1e-6f);
    }

    [Fact]
    public void Luminance_only_keeps_the_stylised_luminance_and_the_content_chrominance()
    {
        using var scope = NewDisposeScope();
        // Muted colours, so the combination stays inside the RGB cube and nothing is clamped.
        var stylised = Random(2, 16, 12, 0.3, 0.7, seed: 1);
        var content = Random(2, 16, 12, 0.4, 0.6, seed: 2);
        var result = ColorTransfer.LuminanceOnly(stylised, content);

        var resultYiq = ColorTransfer.RgbToYiq(result);
        var stylisedYiq = ColorTransfer.RgbToYiq(stylised);
        var contentYiq = ColorTransfer.RgbToYiq(content);
        Assert.True(resultYiq[.., 0].allclose(stylisedYiq[.., 0], rtol: 0, atol: 1e-5), "luminance is not the stylised image's");
        Assert.True(resultYiq[.., 1..].allclose(contentYiq[.., 1..], rtol: 0, atol: 1e-5), "chrominance is not the content's");
    }

    [Fact]
    public void Luminance_only_resizes_the_content_and_shares_one_content_across_a_batch()
    {
        using var scope = NewDisposeScope();
        var stylised = Random(3, 16, 12, seed: 3);
        var content = Random(1, 32, 24, seed: 4);
        var result = ColorTransfer.LuminanceOnly(stylised, content);
        AssertShape(result, 3, 3, 16, 12);
        Assert.True(result.min().item<float>() >= 0 && result.max().item<float>() <= 1);
    }

    [Fact]
    public void Match_luminance_gives_the_style_the_content_luminance_mean_and_spread()
    {
        using var scope = NewDisposeScope();
        var style = Random(1, 20, 20, 0.35, 0.65, seed: 5);
        var content = Random(1, 24, 16, 0.3, 0.7, seed: 6);
        var matched = ColorTransfer.MatchLuminance(style, content);
        var y = ColorTransfer.RgbToYiq(matched)[.., 0];
        var contentY = ColorTransfer.RgbToYiq(content)[.., 0];
        Assert.Equal(contentY.mean().item<float>(), y.mean().item<float>(), 1e-4f);
        Assert.Equal(contentY.std(unbiased: false).item<float>(), y.std(unbiased: false).item<float>(), 1e-4f);
    }

    [Fact]
    public void Match_color_statistics_gives_the_source_the_target_mean_and_covariance()
    {
        using var scope = NewDisposeScope();
        var source = Random(1, 40, 30, seed: 7);
        // A correlated, muted target: a mixing of uniform noise around mid grey.
        var mixing = tensor(new float[] { 0.20f, 0.05f, 0.00f, 0.08f, 0.15f, 0.02f, -0.03f, 0.06f, 0.10f }, [3, 3]);
        var noise = Random(1, 50, 20, -0.5, 0.5, seed: 8);
        var target = einsum("ij,njhw->nihw", mixing, noise) + 0.5f;

        var result = ColorTransfer.MatchColorStatistics(source, target);
        AssertShape(result, 1, 3, 40, 30);
        Assert.True(result.min().item<float>() > 0 && result.max().item<float>() < 1, "test premise: nothing clamped");

        var (resultMean, resultCovariance) = Moments(result);
        var (targetMean, targetCovariance) = Moments(target);
        Assert.True(resultMean.allclose(targetMean, rtol: 0, atol: 1e-3), "means differ");
        Assert.True(resultCovariance.allclose(targetCovariance, rtol: 0, atol: 1e-3), "covariances differ");
        // Tighter than asked: the transform is exact up to float32 rounding.
        Assert.True(resultCovariance.allclose(targetCovariance, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Match_color_statistics_survives_a_grey_source()
    {
        using var scope = NewDisposeScope();
        // All three channels equal: a singular covariance.
        var grey = Random(1, 10, 10, seed: 9)[.., ..1].expand(1, 3, 10, 10).contiguous();
        var target = Random(1, 10, 10, seed: 10);
        var result = ColorTransfer.MatchColorStatistics(grey, target);
        Assert.False(result.isnan().any().item<bool>());
    }

    [Fact]
    public void Match_histogram_with_equal_sizes_gives_exactly_the_target_values_in_source_order()
    {
        using var scope = NewDisposeScope();
        var source = Random(2, 12, 10, seed: 11);
        var target = Random(2, 15, 8, 0.2, 0.9, seed: 12);   // same pixel count, other shape
        var result = ColorTransfer.MatchHistogram(source, target);

        AssertShape(result, 2, 3, 12, 10);
        var sortedResult = result.flatten(2).sort(-1).Values;
        var sortedTarget = target.flatten(2).sort(-1).Values;
        Assert.True(sortedResult.equal(sortedTarget).all().item<bool>(), "the result's values are not the target's");
        AssertSameOrder(source, result);
    }

    [Fact]
    public void Match_histogram_with_other_sizes_gives_the_target_quantiles()
    {
        using var scope = NewDisposeScope();
        var source = Random(1, 9, 7, seed: 13);
        var target = Random(1, 20, 25, seed: 14).pow(2);     // a skewed distribution
        var result = ColorTransfer.MatchHistogram(source, target);

        var quantileLevels = linspace(0, 1, 63, ScalarType.Float64);
        for (int c = 0; c < 3; c++)
        {
            var expected = target[0, c].flatten().to(ScalarType.Float64).quantile(quantileLevels);
            var actual = result[0, c].flatten().sort().Values.to(ScalarType.Float64);
            Assert.True(actual.allclose(expected, rtol: 0, atol: 1e-6), $"channel {c} does not follow the target quantiles");
        }
        AssertSameOrder(source, result);
    }

    [Fact]
    public void Batches_must_agree()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => ColorTransfer.MatchHistogram(Random(3, 4, 4), Random(2, 4, 4)));
        Assert.Contains("'target' has 2 images but 'source' has 3", e.Message);
        Assert.Throws<ArgumentException>(() => ColorTransfer.LuminanceOnly(zeros(3, 4, 4), Random(1, 4, 4)));
    }

    /// <summary>Population mean [3] and covariance [3,3] of a [1,3,H,W] image, in float64.</summary>
    static (Tensor Mean, Tensor Covariance) Moments(Tensor image)
    {
        var pixels = image[0].flatten(1).to(ScalarType.Float64);
        var mean = pixels.mean([1], keepdim: true);
        var centred = pixels - mean;
        return (mean.squeeze(1), centred.matmul(centred.T) / pixels.shape[1]);
    }

    /// <summary>Histogram matching is monotone: a brighter source pixel never gets a darker value.</summary>
    static void AssertSameOrder(Tensor source, Tensor result)
    {
        var order = source.flatten(2).argsort(-1);
        var inSourceOrder = result.flatten(2).gather(-1, order);
        var steps = inSourceOrder[.., .., 1..] - inSourceOrder[.., .., ..^1];
        Assert.True(steps.min().item<float>() >= 0, "the matching does not keep the source's order");
    }
}
