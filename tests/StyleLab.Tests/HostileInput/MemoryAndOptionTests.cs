using StyleLab.Imaging;
using StyleLab.Methods.AdaIN;
using StyleLab.Methods.Arbitrary;
using StyleLab.Methods.FeedForward;
using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Tests.HostileInput;

/// <summary>
/// Work too big for the memory budget is refused before it starts, with the size that would fit; option
/// values that make no sense (NaN, ∞, negative) are refused before the work starts, not after it produced a
/// black image.
/// </summary>
[Trait("Category", "HostileInput")]
public class MemoryAndOptionTests
{
    const long GB = 1L << 30;

    [Theory]
    [InlineData("6G", 6 * GB)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1.5g", 3 * GB / 2)]
    [InlineData("1000", 1000)]
    [InlineData("25%", 4 * GB)]
    [InlineData("", 8 * GB)]
    [InlineData(null, 8 * GB)]
    public void A_budget_is_a_size_or_a_share_of_the_machine(string? text, long bytes) =>
        Assert.Equal(bytes, MemoryBudget.Parse(text, 16 * GB).Bytes);

    [Theory]
    [InlineData("lots")]
    [InlineData("-1G")]
    [InlineData("0")]
    [InlineData("150%")]
    [InlineData("NaN")]
    public void A_budget_that_is_not_a_size_is_refused_naming_the_variable(string text) =>
        Assert.Contains(MemoryBudget.EnvironmentVariable, Assert.Throws<ArgumentException>(() => MemoryBudget.Parse(text, 16 * GB)).Message);

    [SkippableFact]
    public void The_default_budget_is_half_the_memory_this_process_may_use()
    {
        Skip.If(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(MemoryBudget.EnvironmentVariable)), "the budget is set in the environment");
        Assert.Equal(MemoryBudget.AvailableBytes / 2, MemoryBudget.Default.Bytes, tolerance: 1);
    }

    [Fact]
    public void A_36_megapixel_photo_through_fast_style_is_refused_under_an_8GB_machines_budget_with_the_size_that_fits()
    {
        // 7360×4912 is a 36 MP camera photo; 900 bytes per pixel make ~31 GB, far above 4 GB.
        Assert.True(PeakMemory.FastStyle(4912, 7360) > 30 * GB);
        using var _ = MemoryBudget.Use(MemoryBudget.Parse("50%", 8 * GB));
        using var network = FastStyle.FromNetwork(new TransformNet(), "untrained");
        using var photo = zeros([1, 3, 4912, 7360], ScalarType.Byte);   // 108 MB; never reaches the network
        var error = Assert.Throws<MemoryBudgetException>(() => network.Stylize(photo));
        Assert.Contains("7360×4912", error.Message);
        Assert.Contains("--size", error.Message);
        Assert.Contains(MemoryBudget.EnvironmentVariable, error.Message);
        // The size it suggests fits on top of what the process holds, and not much more would.
        int side = int.Parse(System.Text.RegularExpressions.Regex.Match(error.Message, @"--size (\d+)").Groups[1].Value);
        long Work(int s) => PeakMemory.FastStyleBytesPerPixel * s * (s * 4912L / 7360);
        long held = error.NeededBytes - PeakMemory.FastStyleBytesPerPixel * 4912L * 7360;
        Assert.True(held + Work(side) <= 0.8 * error.BudgetBytes + 0.2 * held && held + Work(side + 40) > 0.8 * error.BudgetBytes + 0.2 * held,
            $"--size {side} gives {held + Work(side)} bytes against {error.BudgetBytes}");
    }

    [Fact]
    public void Gatys_at_4000_pixels_needs_more_than_a_24GB_machines_budget()
    {
        // The estimate the entry point checks; Gatys.Run itself needs VGG weights (see CliGatysTests).
        Assert.True(PeakMemory.Gatys(2667, 4000, 2667, 4000, lbfgs: true) > 12 * GB);
        Assert.True(PeakMemory.Gatys(341, 512, 341, 512, lbfgs: false) < 2 * GB);
    }

    [Theory]
    [InlineData("adain")]
    [InlineData("wct")]
    [InlineData("sanet")]
    [InlineData("cast")]
    [InlineData("analogy")]
    public void An_absurd_size_is_refused_before_anything_is_allocated_naming_the_method_and_what_fits(string name)
    {
        using var method = Contract.ContractMethods.Build(name);
        // 16000×12000 (192 MP, about 400 GB of work for the cheapest of them): stride-0 views, so the test holds a few bytes.
        using var pixel = zeros(1, 3, 1, 1);
        using var photo = pixel.expand(1, 3, 12000, 16000);
        using var painting = pixel.expand(1, 3, 512, 512);
        long before = Environment.WorkingSet;
        var error = Assert.Throws<MemoryBudgetException>(() => method.Stylize(photo, Contract.ContractMethods.Styles(method, painting)));
        Assert.Contains("16000×12000", error.Message);
        Assert.Contains(name == "analogy" ? "Deep Image Analogy" : name, error.Message);
        Assert.Matches(@"--size \d+", error.Message);
        Assert.True(error.NeededBytes > 100 * GB, $"{name} estimates {error.NeededBytes} bytes");
        Assert.True(Environment.WorkingSet - before < GB, "the refusal came after a large allocation");
    }

    [Fact]
    public void SANet_attention_grows_with_photo_times_style_pixels()
    {
        // Linear terms alone would double; the relu4_1 attention (positions × positions) quadruples at twice the side.
        long Work(int side) => PeakMemory.SANet(side, side, [(side, side)]) - PeakMemory.Baseline;
        Assert.True(Work(4096) > 3 * Work(2048), $"{Work(2048)} → {Work(4096)}");
        Assert.True(PeakMemory.SANet(512, 512, [(512, 512)]) < 2 * GB);
    }

    [Fact]
    public void Fast_style_within_the_budget_runs()
    {
        using var network = FastStyle.FromNetwork(new TransformNet(), "untrained");
        using var small = rand(1, 3, 16, 19);
        using var result = network.Stylize(small);
        Assert.Equal(small.shape, result.shape);
    }

    [SkippableFact]
    public void Arbitrary_style_refuses_a_NaN_strength_and_a_1x1_content_image_with_its_own_words()
    {
        Skip.If(TestPaths.SharedWeights is null || Arbitrary.MagentaGolden.PredictorPath is null, "../shared magenta-arbitrary weights are absent");
        using var magenta = ArbitraryStyle.Load(weightsRoots: [TestPaths.SharedWeights!]);
        using var content = rand(1, 3, 32, 32);
        using var style = magenta.PredictStyle(content);
        foreach (double strength in new[] { double.NaN, double.PositiveInfinity, -0.5, 1.5 })
            Assert.Throws<ArgumentOutOfRangeException>(() => magenta.BlendWithContentStyle(content, style, strength));
        using var dot = rand(1, 3, 1, 1);
        Assert.Contains("1×1", Assert.Throws<ArgumentException>(() => magenta.Stylize(dot, style)).Message);
        using (var smallest = rand(1, 3, ArbitraryStyle.MinimumSide, ArbitraryStyle.MinimumSide))
        using (var result = magenta.Stylize(smallest, style))
            Assert.Equal(smallest.shape, result.shape);
    }

    [Fact]
    public void Style_mixes_refuse_infinite_and_NaN_weights()
    {
        using var a = zeros(1, 100);
        using var b = ones(1, 100);
        Assert.Throws<ArgumentException>(() => ArbitraryStyle.Interpolate([a, b], [double.PositiveInfinity, 1]));
        Assert.Throws<ArgumentException>(() => ArbitraryStyle.Interpolate([a, b], [double.NaN, 1]));
        Assert.Throws<ArgumentException>(() => StyleLab.Methods.StyleWeights.Normalise([double.PositiveInfinity, 1], 2));
    }

    [Fact]
    public void Decoding_an_image_puts_its_pixels_in_native_memory_not_on_the_managed_heap()
    {
        // A fuzzer's long-running process ran out of a 1 GB managed heap on a 6.7 MP JPEG: the decoder built a float[]
        // of the planes and torch.tensor copied it, 24 bytes per pixel of managed garbage per image.
        using var bitmap = new SkiaSharp.SKBitmap(2000, 1500);
        bitmap.Erase(new SkiaSharp.SKColor(200, 100, 50));
        using var encoded = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        var png = encoded.ToArray();
        using (ImageIO.Load(new MemoryStream(png), "warm-up.png")) { }

        long before = GC.GetAllocatedBytesForCurrentThread();
        using var image = ImageIO.Load(new MemoryStream(png), "large.png");
        long managed = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(new long[] { 1, 3, 1500, 2000 }, image.shape);
        Assert.Equal(100f / 255f, image[0, 1, 700, 900].item<float>());
        Assert.True(managed < 4_000_000, $"loading 3 MP allocated {managed / 1e6:F1} MB on the managed heap");
    }
}
