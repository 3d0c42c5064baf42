using StyleLab.Methods.Arbitrary;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Arbitrary;

/// <summary>The public arbitrary-style API on Magenta's networks (needs ../shared).</summary>
public class ArbitraryStyleTests
{
    static readonly Lazy<ArbitraryStyle?> Shared = new(() =>
        TestPaths.SharedWeights is { } w && MagentaGolden.PredictorPath is not null ? ArbitraryStyle.Load(weightsRoots: [w]) : null);

    static ArbitraryStyle Magenta
    {
        get
        {
            Skip.If(Shared.Value is null, "../shared magenta-arbitrary weights are absent");
            return Shared.Value!;
        }
    }

    [SkippableFact]
    public void Odd_sizes_come_back_at_their_size_in_0_1()
    {
        using var scope = NewDisposeScope();
        var style = Magenta.PredictStyle(MagentaGolden.TestCard(300, 200, 0));
        Assert.Equal(new long[] { 1, 100 }, style.shape);
        var result = Magenta.Stylize(MagentaGolden.TestCard(37, 53, 1), style);
        Assert.Equal(new long[] { 1, 3, 37, 53 }, result.shape);
        Assert.True(result.min().item<float>() >= 0 && result.max().item<float>() <= 1);
    }

    [SkippableFact]
    public void Different_styles_give_different_images()
    {
        using var scope = NewDisposeScope();
        var content = MagentaGolden.TestCard(64, 64, 1);
        var a = Magenta.Stylize(content, Magenta.PredictStyle(MagentaGolden.TestCard(256, 256, 0)));
        var b = Magenta.Stylize(content, Magenta.PredictStyle(MagentaGolden.TestCard(256, 256, 1)));
        Assert.True((a - b).abs().mean().item<float>() > 0.03);
    }

    [SkippableFact]
    public void Interpolation_endpoints_are_the_styles_and_the_middle_is_their_mean()
    {
        using var scope = NewDisposeScope();
        var s1 = Magenta.PredictStyle(MagentaGolden.TestCard(256, 256, 0));
        var s2 = Magenta.PredictStyle(MagentaGolden.TestCard(256, 256, 1));
        Assert.True(ArbitraryStyle.Interpolate([s1, s2], [1, 0]).allclose(s1));
        Assert.True(ArbitraryStyle.Interpolate([s1, s2], [0, 3]).allclose(s2));
        Assert.True(ArbitraryStyle.Interpolate([s1, s2], [2, 2]).allclose((s1 + s2) / 2));
        Assert.Throws<ArgumentException>(() => ArbitraryStyle.Interpolate([s1, s2], [1]));
    }

    [SkippableFact]
    public void Less_style_strength_stays_closer_to_the_photo()
    {
        using var scope = NewDisposeScope();
        var photo = MagentaGolden.TestCard(64, 64, 1);
        var style = Magenta.PredictStyle(MagentaGolden.TestCard(256, 256, 0));
        double Distance(double strength) =>
            (Magenta.Stylize(photo, Magenta.BlendWithContentStyle(photo, style, strength)) - photo).abs().mean().item<float>();
        Assert.True(Distance(0.0) < Distance(0.5) && Distance(0.5) < Distance(1.0), $"{Distance(0)} {Distance(0.5)} {Distance(1)}");
        Assert.True(Magenta.BlendWithContentStyle(photo, style, 1.0).allclose(style));
    }

    [SkippableFact]
    public void Batches_share_one_style_or_take_one_each()
    {
        using var scope = NewDisposeScope();
        var photos = torch.cat([MagentaGolden.TestCard(32, 32, 0), MagentaGolden.TestCard(32, 32, 1)]);
        var style = Magenta.PredictStyle(MagentaGolden.TestCard(256, 256, 0));
        var together = Magenta.Stylize(photos, style);
        Assert.True(together.narrow(0, 1, 1).allclose(Magenta.Stylize(photos.narrow(0, 1, 1), style), rtol: 0, atol: 1e-5));
        Assert.Equal(new long[] { 2, 3, 32, 32 }, Magenta.Stylize(photos, style.expand(2, 100)).shape);
    }

    [SkippableFact]
    public void Repeated_stylisation_leaves_no_tensors_behind()
    {
        using var style = Magenta.PredictStyle(MagentaGolden.TestCard(256, 256, 0));
        using var photo = MagentaGolden.TestCard(30, 34, 1);
        Magenta.Stylize(photo, style).Dispose();
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++) Magenta.Stylize(photo, style).Dispose();
        for (int i = 0; i < 3; i++) Magenta.PredictStyle(photo).Dispose();
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Missing_files_say_where_they_were_looked_for()
    {
        var e = Assert.Throws<ArgumentException>(() => ArbitraryStyle.Load(weightsRoots: ["/nonexistent"]));
        Assert.Contains("/nonexistent/magenta-arbitrary/tflite", e.Message);
    }
}
