using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.ImageQuilting;

/// <summary>
/// One raster-order pass of Image Quilting (Efros &amp; Freeman 2001, §2.1 and §3) over an output canvas:
/// for each block position, the error of every texture block is
/// E = α·(mean overlap SSD with what is already placed + mean SSD with the previous pass's image over the whole block)
///   + (1 − α)·(mean SSD between the block's correspondence map and the target's),
/// a block is drawn uniformly among those with E ≤ (1 + ε)·min E, and it is pasted along the minimum-error
/// boundary cut of each overlap (the L-shaped case is the intersection of the vertical and horizontal cuts).
/// Each term is a mean over its pixels and channels so that α weighs them as the paper intends, whatever
/// the block and overlap sizes.
/// </summary>
internal static class QuiltingPass
{
    /// <summary>
    /// Quilts a <c>height</c>×<c>width</c> image from <c>texture</c> [3,Hs,Ws] with blocks of side <c>block</c>; <c>textureMap</c>
    /// [1,Hs,Ws] and <c>targetMap</c> [1,H,W] are the correspondence maps (null for plain synthesis), <c>previous</c> [3,H,W] the
    /// previous pass's output (null in the first pass). Returns the image [3,H,W] and, per pixel, its texture position [2,H,W].
    /// </summary>
    public static (Tensor Image, Tensor Origin) Run(Tensor texture, Tensor? textureMap, Tensor? targetMap, Tensor? previous,
        int height, int width, int block, int overlap, float alpha, float tolerance, int iteration, int iterations,
        Generator generator, List<BlockPlacement> placements, IProgress<QuiltingProgress>? progress, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        int step = block - overlap;
        int rows = height <= block ? 1 : (height - block + step - 1) / step + 1;
        int columns = width <= block ? 1 : (width - block + step - 1) / step + 1;
        int canvasHeight = (rows - 1) * step + block, canvasWidth = (columns - 1) * step + block;
        var device = texture.device;

        var canvas = zeros(3, canvasHeight, canvasWidth, device: device);
        var origin = zeros([2, canvasHeight, canvasWidth], dtype: ScalarType.Int64, device: device);
        var target = targetMap is null ? null : PadTo(targetMap, canvasHeight, canvasWidth);
        var before = previous is null ? null : PadTo(previous, canvasHeight, canvasWidth);
        bool correspondence = targetMap is not null && textureMap is not null && alpha < 1;
        var channels = correspondence ? cat([texture, textureMap!], 0) : texture;
        using var correlation = new BlockCorrelation(channels, block);
        var (ys, xs) = (arange(block, dtype: ScalarType.Int64, device: device).view(block, 1).expand(block, block),
                        arange(block, dtype: ScalarType.Int64, device: device).view(1, block).expand(block, block));

        // The weights depend only on which overlaps a block has, so their energy term S² ⋆ W is computed once per kind.
        var weightsByKind = new Dictionary<(bool Top, bool Left), (Tensor Overlap, Tensor Weights, Tensor Energy)>();
        (Tensor Overlap, Tensor Weights, Tensor Energy) WeightsFor(bool top, bool left)
        {
            if (weightsByKind.TryGetValue((top, left), out var known)) return known;
            var overlapMask = zeros(block, block, device: device);
            if (top) overlapMask[..overlap, ..] = 1;
            if (left) overlapMask[.., ..overlap] = 1;
            float overlapPixels = overlapMask.sum().item<float>();
            var overlapWeight = overlapPixels > 0 ? overlapMask * (alpha / (3 * overlapPixels)) : overlapMask;
            var textureWeight = before is null ? overlapWeight : overlapWeight + alpha / (3f * block * block);
            var weights = textureWeight.unsqueeze(0).expand(3, block, block);
            if (correspondence)
                weights = cat([weights, full(1, block, block, (1 - alpha) / (block * block), device: device)], 0);
            var entry = (overlapWeight.MoveToOuterDisposeScope(), weights.contiguous().MoveToOuterDisposeScope(),
                correlation.Energy(weights).MoveToOuterDisposeScope());
            weightsByKind[(top, left)] = entry;
            return entry;
        }

        int blocks = rows * columns, placed = 0;
        for (int by = 0; by < rows; by++)
        for (int bx = 0; bx < columns; bx++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var blockScope = NewDisposeScope();
            int oy = by * step, ox = bx * step;
            bool top = by > 0, left = bx > 0;
            var region = (TensorIndex.Slice(oy, oy + block), TensorIndex.Slice(ox, ox + block));
            var old = canvas[.., region.Item1, region.Item2];

            // The template, channel by channel: the overlap term's reference is what is placed; the previous
            // pass enters the same texture channels with its own weight, so W·T and Σ W·T² add both.
            var (overlapWeights, _, energy) = WeightsFor(top, left);
            var weighted = overlapWeights * old;
            double constant = (overlapWeights * old.square()).sum().item<float>();
            if (before is not null)
            {
                var earlier = before[.., region.Item1, region.Item2];
                weighted = weighted + earlier * (alpha / (3f * block * block));
                constant += (earlier.square().sum() * (alpha / (3f * block * block))).item<float>();
            }
            if (correspondence)
            {
                var wanted = target![.., region.Item1, region.Item2];
                weighted = cat([weighted, wanted * ((1 - alpha) / (block * block))], 0);
                constant += (wanted.square().sum() * ((1 - alpha) / (block * block))).item<float>();
            }
            var errors = correlation.Errors(energy, weighted, constant);

            // §2.1: "randomly pick one" among the blocks within (1 + ε) of the best.
            float best = errors.min().item<float>();
            var candidates = errors.le(best * (1 + tolerance)).nonzero();
            long pick = randint(0, candidates.shape[0], [1], generator: generator, device: device).item<long>();
            int sy = (int)candidates[pick, 0].item<long>(), sx = (int)candidates[pick, 1].item<long>();
            float chosenError = errors[sy, sx].item<float>();
            var fresh = texture[.., sy..(sy + block), sx..(sx + block)];

            // §2.1: the minimum-error boundary cut through each overlap of the new block with the old pixels.
            BoundaryCut? vertical = null, horizontal = null;
            var takeNew = ones(block, block, dtype: ScalarType.Bool, device: device);
            if (top || left)
            {
                var surface = (fresh - old).square().sum(dim: 0);
                if (left)
                {
                    vertical = BoundaryCut.Vertical(ToArray(surface[.., ..overlap]));
                    takeNew = takeNew & xs.ge(Column(vertical.Path, device));
                }
                if (top)
                {
                    horizontal = BoundaryCut.Horizontal(ToArray(surface[..overlap, ..]));
                    takeNew = takeNew & ys.ge(Column(horizontal.Path, device).view(1, block));
                }
            }
            canvas[.., region.Item1, region.Item2] = where(takeNew, fresh, old);
            var source = stack([ys + sy, xs + sx], 0);
            origin[.., region.Item1, region.Item2] = where(takeNew, source, origin[.., region.Item1, region.Item2]);

            placements.Add(new BlockPlacement(iteration, oy, ox, sy, sx, block, overlap, chosenError, (int)candidates.shape[0], vertical, horizontal));
            progress?.Report(new QuiltingProgress(iteration, iterations, block, ++placed, blocks, clock.Elapsed));
        }
        var image = canvas[.., ..height, ..width].contiguous().MoveToOuterDisposeScope();
        var where_ = origin[.., ..height, ..width].contiguous().MoveToOuterDisposeScope();
        return (image, where_);
    }

    /// <summary>A vertical path's columns as [B,1] (one per row), for comparing with the column grid.</summary>
    static Tensor Column(int[] path, Device device) => tensor(path.Select(p => (long)p).ToArray(), device: device).view(-1, 1);

    /// <summary>[C,h,w] extended to [C,H,W] by repeating its last row and column (the canvas may overhang the output).</summary>
    static Tensor PadTo(Tensor map, int height, int width) =>
        nn.functional.pad(map.unsqueeze(0), [0, width - map.shape[2], 0, height - map.shape[1]], PaddingModes.Replicate)[0];

    static float[,] ToArray(Tensor surface)
    {
        var (h, w) = ((int)surface.shape[0], (int)surface.shape[1]);
        var flat = surface.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        var result = new float[h, w];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(float));
        return result;
    }
}
