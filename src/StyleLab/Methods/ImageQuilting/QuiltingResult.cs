using StyleLab.Methods.DeepAnalogy;
using static TorchSharp.torch;

namespace StyleLab.Methods.ImageQuilting;

/// <summary>The quilt and its visualisation data. Owns its tensors.</summary>
/// <param name="Image">The result, [1,3,H,W] in [0,1].</param>
/// <param name="Source">Which texture pixel each output pixel came from (output → texture), for <see cref="NnfColorMap"/> and the correspondence explorer.</param>
/// <param name="Blocks">Every placed block of every pass, in placement order.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record QuiltingResult(Tensor Image, Nnf Source, IReadOnlyList<BlockPlacement> Blocks, TimeSpan Elapsed) : IDisposable
{
    /// <summary>The blocks of the last pass (the ones visible in <see cref="Image"/>).</summary>
    public IEnumerable<BlockPlacement> FinalBlocks => Blocks.Where(b => b.Iteration == Blocks[^1].Iteration);

    /// <inheritdoc/>
    public void Dispose()
    {
        Image.Dispose();
        Source.Dispose();
    }
}
