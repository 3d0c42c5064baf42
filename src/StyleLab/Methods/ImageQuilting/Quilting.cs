using System.Diagnostics;
using StyleLab.Imaging;
using StyleLab.Methods.DeepAnalogy;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.ImageQuilting;

/// <summary>
/// Image Quilting (Efros &amp; Freeman, SIGGRAPH 2001): texture synthesis by stitching blocks of a sample
/// texture along minimum-error boundary cuts (§2), and texture transfer, which adds a correspondence term so the
/// quilt follows a target image's luminance, iterated with shrinking blocks (§3). Blocks are placed in raster
/// order as in the paper; what is parallel is the search: every candidate block's error comes from one set of
/// FFT correlations over the whole texture (<see cref="BlockCorrelation"/>).
/// </summary>
public static class Quilting
{
    /// <summary>§2: a <paramref name="height"/>×<paramref name="width"/> texture quilted from <paramref name="texture"/> [1,3,h,w] in [0,1].</summary>
    public static QuiltingResult Synthesize(Tensor texture, int height, int width, ImageQuiltingOptions? options = null,
        IProgress<QuiltingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new ImageQuiltingOptions();
        options.Validate();
        if (height < 1 || width < 1) throw new ArgumentException($"The output size must be positive; got {width}×{height}.");
        var source = Single(texture, nameof(texture));
        var clock = Stopwatch.StartNew();
        using var generator = new Generator((ulong)options.Seed, source.device);
        var placements = new List<BlockPlacement>();
        int block = Math.Min(options.BlockSize, (int)Math.Min(source.shape[1], source.shape[2]));
        var (image, origin) = QuiltingPass.Run(source, null, null, null, height, width, block, options.OverlapFor(block),
            alpha: 1, options.Tolerance, 1, 1, generator, placements, progress, clock, cancellationToken);
        return Result(image, origin, source, placements, clock);
    }

    /// <summary>
    /// §3: <paramref name="target"/> [1,3,H,W] rendered with blocks of <paramref name="texture"/> [1,3,h,w], both in [0,1].
    /// N passes (<see cref="ImageQuiltingOptions.Iterations"/>); pass i uses blocks of B·(2/3)^(i−1) and α_i, and from the
    /// second pass on also matches each block against the previous pass's result.
    /// </summary>
    public static QuiltingResult Transfer(Tensor target, Tensor texture, ImageQuiltingOptions? options = null,
        IProgress<QuiltingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new ImageQuiltingOptions();
        options.Validate();
        var source = Single(texture, nameof(texture));
        var goal = Single(target, nameof(target));
        if (goal.device_type != source.device_type || goal.device_index != source.device_index) throw new ArgumentException($"Target ({goal.device}) and texture ({source.device}) must be on the same device.");
        var clock = Stopwatch.StartNew();
        using var generator = new Generator((ulong)options.Seed, source.device);
        using var textureMap = CorrespondenceMap.Of(source.unsqueeze(0), options.Correspondence, options.CorrespondenceBlurSigma)[0];
        using var targetMap = CorrespondenceMap.Of(goal.unsqueeze(0), options.Correspondence, options.CorrespondenceBlurSigma)[0];
        var placements = new List<BlockPlacement>();
        Tensor? image = null, origin = null;
        int height = (int)goal.shape[1], width = (int)goal.shape[2], smallest = (int)Math.Min(source.shape[1], source.shape[2]);
        try
        {
            for (int i = 1; i <= options.Iterations; i++)
            {
                int block = Math.Min(options.BlockSizeAt(i), smallest);
                var (next, nextOrigin) = QuiltingPass.Run(source, textureMap, targetMap, image, height, width, block, options.OverlapFor(block),
                    options.AlphaAt(i, options.Iterations), options.Tolerance, i, options.Iterations, generator, placements, progress, clock,
                    cancellationToken);
                image?.Dispose();
                origin?.Dispose();
                (image, origin) = (next, nextOrigin);
            }
        }
        catch
        {
            image?.Dispose();
            origin?.Dispose();
            throw;
        }
        return Result(image!, origin!, source, placements, clock);
    }

    static QuiltingResult Result(Tensor image, Tensor origin, Tensor source, List<BlockPlacement> placements, Stopwatch clock)
    {
        var field = new Nnf(origin.permute(1, 2, 0).contiguous(), (int)source.shape[1], (int)source.shape[2]);
        origin.Dispose();
        var clamped = image.unsqueeze(0).clamp(0, 1);
        image.Dispose();
        return new QuiltingResult(clamped, field, placements, clock.Elapsed);
    }

    static Tensor Single(Tensor image, string name) => ImageTensors.SingleImage(image, name).to(ScalarType.Float32);
}
