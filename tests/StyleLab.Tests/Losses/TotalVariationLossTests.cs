using StyleLab.Losses;
using static TorchSharp.torch;

namespace StyleLab.Tests.Losses;

public class TotalVariationLossTests
{
    [Fact]
    public void Total_variation_sums_squared_neighbour_differences()
    {
        // [[1, 2, 4], [0, 0, 0]]: horizontal (2−1)² + (4−2)² + 0 + 0 = 5; vertical 1² + 2² + 4² = 21.
        using var image = tensor(new float[] { 1, 2, 4, 0, 0, 0 }).view(1, 1, 2, 3);
        using var value = new TotalVariationLoss().Forward(image);
        Assert.Equal(26f, value.item<float>(), 5);
    }

    [Fact]
    public void Total_variation_equals_explicit_loops()
    {
        using var image = rand(2, 3, 5, 4);
        var x = image.data<float>().ToArray();
        double expected = 0;
        for (int c = 0; c < 6; c++)
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 4; j++)
                {
                    double v = x[c * 20 + i * 4 + j];
                    if (j + 1 < 4) expected += Math.Pow(x[c * 20 + i * 4 + j + 1] - v, 2);
                    if (i + 1 < 5) expected += Math.Pow(x[c * 20 + (i + 1) * 4 + j] - v, 2);
                }
        using var value = new TotalVariationLoss().Forward(image);
        Assert.Equal(expected, value.item<float>(), 1e-5 * expected);
    }

    [Fact]
    public void A_constant_image_has_no_variation()
    {
        using var image = full(new long[] { 1, 3, 8, 8 }, 0.3f);
        using var value = new TotalVariationLoss().Forward(image);
        Assert.Equal(0f, value.item<float>());
    }
}
