using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// A nearest-neighbour field φ from a source grid (H×W) into a target grid (H′×W′): for every source
/// position p, the absolute target position φ(p) = (y, x) whose patch matches p's best
/// (Liao et al. 2017, §3: φ_{a→b} maps A/A′ into B/B′, φ_{b→a} the other way).
/// Absolute coordinates rather than offsets, because both directions, up-sampling and voting read
/// "where in the target", and offsets are one subtraction away (<see cref="Offsets"/>).
/// Owns its tensor: dispose it, or let <see cref="DeepAnalogyResult"/> dispose the ones it holds.
/// </summary>
public sealed class Nnf : IDisposable
{
    /// <summary>[H, W, 2] int64: φ(p) as (y, x) in the target grid.</summary>
    public Tensor Coordinates { get; }

    /// <summary>Source grid height H.</summary>
    public int Height => (int)Coordinates.shape[0];

    /// <summary>Source grid width W.</summary>
    public int Width => (int)Coordinates.shape[1];

    /// <summary>Target grid height H′.</summary>
    public int TargetHeight { get; }

    /// <summary>Target grid width W′.</summary>
    public int TargetWidth { get; }

    /// <summary>Wraps coordinates [H,W,2] (y, x) that lie inside a target of <paramref name="targetHeight"/>×<paramref name="targetWidth"/>; takes ownership.</summary>
    public Nnf(Tensor coordinates, int targetHeight, int targetWidth)
    {
        if (coordinates.dim() != 3 || coordinates.shape[2] != 2)
            throw new ArgumentException($"An NNF is [H,W,2] (y, x); got [{string.Join(",", coordinates.shape)}].", nameof(coordinates));
        if (targetHeight <= 0 || targetWidth <= 0)
            throw new ArgumentException($"Target size must be positive; got {targetHeight}×{targetWidth}.");
        Coordinates = coordinates.dtype == ScalarType.Int64 ? coordinates : coordinates.to(ScalarType.Int64);
        TargetHeight = targetHeight;
        TargetWidth = targetWidth;
    }

    /// <summary>
    /// The "same place" field: p maps to p scaled into the target grid. The official implementation
    /// starts its coarsest level from this field; random search then explores the whole map.
    /// </summary>
    public static Nnf Identity(int height, int width, int targetHeight, int targetWidth, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var (ys, xs) = Grid(height, width, device);
        var y = (ys * targetHeight).div(height, rounding_mode: RoundingMode.floor);
        var x = (xs * targetWidth).div(width, rounding_mode: RoundingMode.floor);
        return new Nnf(stack([y, x], -1).MoveToOuterDisposeScope(), targetHeight, targetWidth);
    }

    /// <summary>Uniformly random target positions (PatchMatch's classic initialisation), reproducible from <paramref name="generator"/>.</summary>
    public static Nnf Random(int height, int width, int targetHeight, int targetWidth, Generator generator, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var y = randint(0, targetHeight, [height, width], dtype: ScalarType.Int64, device: device, generator: generator);
        var x = randint(0, targetWidth, [height, width], dtype: ScalarType.Int64, device: device, generator: generator);
        return new Nnf(stack([y, x], -1).MoveToOuterDisposeScope(), targetHeight, targetWidth);
    }

    /// <summary>φ(p) − p as [H,W,2] int64 (dy, dx): the displacement, for flow-style visualisations.</summary>
    public Tensor Offsets()
    {
        using var scope = NewDisposeScope();
        var (ys, xs) = Grid(Height, Width, Coordinates.device);
        return (Coordinates - stack([ys, xs], -1)).MoveToOuterDisposeScope();
    }

    /// <summary>φ(p) as row-major indices y·W′ + x into the flattened target, [H·W].</summary>
    public Tensor FlatIndices()
    {
        using var scope = NewDisposeScope();
        return (Coordinates[.., .., 0] * TargetWidth + Coordinates[.., .., 1]).reshape(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Pixel-wise warp: out(p) = target(φ(p)) for a map [N,C,H′,W′] (features or an image) → [N,C,H,W].
    /// No averaging; <see cref="PatchVoting"/> gives the paper's smoother patch-averaged reconstruction.
    /// </summary>
    public Tensor Warp(Tensor target)
    {
        RequireTarget(target, nameof(target));
        using var scope = NewDisposeScope();
        var flat = target.flatten(2).index_select(2, FlatIndices());
        return flat.view(target.shape[0], target.shape[1], Height, Width).MoveToOuterDisposeScope();
    }

    /// <summary>A copy on <paramref name="device"/> (or the same device), independent of this field's lifetime.</summary>
    public Nnf Clone(Device? device = null) =>
        new(device is null ? Coordinates.clone() : Coordinates.to(device, copy: true), TargetHeight, TargetWidth);

    internal void RequireTarget(Tensor target, string name)
    {
        if (target.dim() != 4 || target.shape[2] != TargetHeight || target.shape[3] != TargetWidth)
            throw new ArgumentException(
                $"'{name}' must be [N,C,{TargetHeight},{TargetWidth}] to match this NNF's target grid; got [{string.Join(",", target.shape)}].", name);
    }

    /// <summary>Row and column index grids [H,W] (int64).</summary>
    internal static (Tensor Ys, Tensor Xs) Grid(int height, int width, Device? device)
    {
        var ys = arange(height, dtype: ScalarType.Int64, device: device).view(height, 1).expand(height, width);
        var xs = arange(width, dtype: ScalarType.Int64, device: device).view(1, width).expand(height, width);
        return (ys, xs);
    }

    /// <inheritdoc/>
    public void Dispose() => Coordinates.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"NNF {Height}×{Width} → {TargetHeight}×{TargetWidth}";
}
