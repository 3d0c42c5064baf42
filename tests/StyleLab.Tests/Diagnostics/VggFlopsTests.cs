using StyleLab.Diagnostics;

namespace StyleLab.Tests.Diagnostics;

public class VggFlopsTests
{
    [Fact]
    public void Conv1_1_at_224_is_2_Cin_Cout_9_H_W()
    {
        // 2 · 3 · 64 · 9 · 224 · 224
        Assert.Equal(2.0 * 3 * 64 * 9 * 224 * 224, VggFlops.Forward(224, 224, "relu1_1"));
    }

    [Fact]
    public void Vgg19_convolutions_at_224_are_the_known_39_GFLOP()
    {
        // VGG-19's 16 convolutions cost ≈ 19.5 G multiply-adds at 224² (Simonyan & Zisserman's 19.6 GMAC includes the classifier).
        double flops = VggFlops.Forward(224, 224, "relu5_4");
        Assert.InRange(flops / 2 / 1e9, 19.4, 19.7);
    }

    [Fact]
    public void A_gatys_iteration_is_twice_the_forward_plus_the_grams()
    {
        double forward = VggFlops.Forward(256, 256, "relu5_1");
        double grams = GatysBenchmark.StyleLayers.Sum(l => VggFlops.Gram(l, 256, 256, withBackward: true));
        Assert.Equal(2 * forward + grams, VggFlops.GatysIteration(256, 256, GatysBenchmark.StyleLayers, GatysBenchmark.ContentLayer));
        // relu1_1 at 256²: 6 · 64² · 65536
        Assert.Equal(6.0 * 64 * 64 * 65536, VggFlops.Gram("relu1_1", 256, 256, withBackward: true));
    }

    [Fact]
    public void Timing_reports_the_median()
    {
        Assert.Equal(2.0, new BenchmarkTiming([3.0, 1.0, 2.0]).Median);
        Assert.Equal(2.5, new BenchmarkTiming([4.0, 1.0, 2.0, 3.0]).Median);
    }
}
