using StyleLab.Imaging;
using StyleLab.Methods.ImageQuilting;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace StyleLab.Tests.BeforeNeural;

public class ImageQuiltingTests(ITestOutputHelper output)
{
    /// <summary>A random P×P tile repeated to size×size: a texture with period P and no symmetry inside a tile.</summary>
    static Tensor Periodic(int period, int size, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var tile = rand([3, period, period], generator: generator);
        int reps = (size + period - 1) / period;
        using var tiled = tile.repeat(1, reps, reps);
        return tiled[.., ..size, ..size].unsqueeze(0).contiguous();
    }

    [Fact]
    public void Quilting_a_periodic_texture_with_blocks_dividing_the_period_reproduces_it_exactly()
    {
        // Period 12, blocks of 12 with the paper's overlap 12/6 = 2: every block that continues the overlap exactly
        // has error 0, so only exact continuations are within (1 + ε) of the best, and the quilt is the texture itself
        // at the phase of the first (random) block.
        const int period = 12;
        using var texture = Periodic(period, 48, seed: 3);
        var options = new ImageQuiltingOptions { BlockSize = 12, Seed = 5 };
        using var result = Quilting.Synthesize(texture, 70, 90, options);
        var first = result.Blocks[0];
        using var expected = texture[0].roll([-first.SourceY, -first.SourceX], [1, 2])
            .repeat(1, 7, 8)[.., ..70, ..90];
        Assert.Equal(0f, (result.Image[0] - expected).abs().max().item<float>(), 5);
        Assert.True(result.Blocks.Skip(1).All(b => b.Error < 1e-4f), "every later block continues its overlaps exactly");
    }

    [Fact]
    public void Every_output_pixel_is_the_texture_pixel_its_source_map_names()
    {
        using var texture = rand([1, 3, 40, 40], generator: new Generator(2));
        using var result = Quilting.Synthesize(texture, 50, 60, new ImageQuiltingOptions { BlockSize = 12, Seed = 1 });
        using var gathered = result.Source.Warp(texture);
        Assert.Equal(0f, (gathered - result.Image).abs().max().item<float>());
    }

    [Fact]
    public void Texture_transfer_with_only_the_correspondence_term_follows_the_target_luminance()
    {
        // In the paper's error α·overlap + (1 − α)·correspondence, α = 0 leaves only the target's luminance to match
        // (α = 1 would be plain synthesis). Texture: smooth random colour blobs covering the whole range of luminances;
        // target: a luminance ramp with a bright disc. The result's luminance correlates with the target's at r > 0.9,
        // and with α = 1 it does not (|r| < 0.5).
        using var texture = SmoothNoise(96, seed: 4);
        using var ys = linspace(0, 1, 48).view(48, 1).expand(48, 48);
        using var xs = linspace(0, 1, 48).view(1, 48).expand(48, 48);
        using var disc = ((ys - 0.5).square() + (xs - 0.5).square()).lt(0.06).to(ScalarType.Float32);
        using var luminance = (0.3 * xs + 0.6 * disc + 0.05).clamp(0, 1);
        using var target = luminance.view(1, 1, 48, 48).expand(1, 3, 48, 48).contiguous();
        var options = new ImageQuiltingOptions { BlockSize = 6, Iterations = 1, Seed = 2 };

        using var follows = Quilting.Transfer(target, texture, options with { Alpha = 0f });
        using var ignores = Quilting.Transfer(target, texture, options with { Alpha = 1f });
        output.WriteLine($"luminance correlation with the target: α = 0: r = {Correlation(follows.Image, target):F3}; α = 1: r = {Correlation(ignores.Image, target):F3}");
        Assert.True(Correlation(follows.Image, target) > 0.9, $"r = {Correlation(follows.Image, target):F3}");
        Assert.True(Math.Abs(Correlation(ignores.Image, target)) < 0.5, $"r = {Correlation(ignores.Image, target):F3}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_quilt_and_another_seed_another()
    {
        using var texture = rand([1, 3, 40, 40], generator: new Generator(9));
        using var target = rand([1, 3, 30, 30], generator: new Generator(10));
        var options = new ImageQuiltingOptions { BlockSize = 9, Iterations = 2, Seed = 7 };
        using var one = Quilting.Transfer(target, texture, options);
        using var two = Quilting.Transfer(target, texture, options);
        using var other = Quilting.Transfer(target, texture, options with { Seed = 8 });
        Assert.Equal(0f, (one.Image - two.Image).abs().max().item<float>());
        Assert.NotEqual(0f, (one.Image - other.Image).abs().max().item<float>());
    }

    [Fact]
    public void The_inference_interface_renders_each_content_image_of_a_batch_as_Transfer_does()
    {
        using var texture = SmoothNoise(40, seed: 12);
        using var contents = rand([2, 3, 24, 20], generator: new Generator(13));
        var options = new ImageQuiltingOptions { BlockSize = 8, Iterations = 2, Seed = 3 };
        using var method = new ImageQuiltingMethod(options);
        using var batch = method.Stylize(contents, [texture]);
        using var second = Quilting.Transfer(contents[1..2], texture, options);
        Assert.Equal([2, 3, 24, 20], batch.shape);
        Assert.Equal(0f, (batch[1..2] - second.Image).abs().max().item<float>());
    }

    [Fact]
    public void The_paper_schedule_shrinks_blocks_by_a_third_and_raises_alpha_from_0_1_to_0_9()
    {
        var options = new ImageQuiltingOptions { BlockSize = 36, Iterations = 3 };
        Assert.Equal([36, 24, 16], Enumerable.Range(1, 3).Select(options.BlockSizeAt));
        Assert.Equal([0.1, 0.5, 0.9], Enumerable.Range(1, 3).Select(i => Math.Round(options.AlphaAt(i, 3), 6)));
        Assert.Equal(6, options.OverlapFor(36));
    }

    /// <summary>Gaussian-blurred uniform noise, each channel stretched to [0,1]: blobs of every brightness.</summary>
    internal static Tensor SmoothNoise(int size, long seed)
    {
        using var scope = NewDisposeScope();
        var blurred = GaussianBlur.Apply(rand([1, 3, size, size], generator: new Generator((ulong)seed)), 4);
        var (low, high) = (blurred.amin([2, 3], keepdim: true), blurred.amax([2, 3], keepdim: true));
        return ((blurred - low) / (high - low)).MoveToOuterDisposeScope();
    }

    static double Correlation(Tensor image, Tensor target)
    {
        using var scope = NewDisposeScope();
        var a = ColorTransfer.RgbToYiq(image)[0, 0].flatten().to(ScalarType.Float64);
        var b = ColorTransfer.RgbToYiq(target)[0, 0].flatten().to(ScalarType.Float64);
        a = a - a.mean();
        b = b - b.mean();
        return ((a * b).sum() / (a.norm() * b.norm())).item<double>();
    }
}
