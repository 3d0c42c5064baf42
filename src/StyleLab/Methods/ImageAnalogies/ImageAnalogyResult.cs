using StyleLab.Methods.DeepAnalogy;
using static TorchSharp.torch;

namespace StyleLab.Methods.ImageAnalogies;

/// <summary>B′ and its visualisation data. Owns its tensors.</summary>
/// <param name="BPrime">The result, [1,3,H,W] in [0,1].</param>
/// <param name="Source">s: the pixel of A′ each pixel of B′ was copied from (B → A), for <see cref="NnfColorMap"/> and the correspondence explorer.</param>
/// <param name="Coherent">[H,W] bool: true where, in the last pass, the coherence match won over a different approximate match.</param>
/// <param name="CoherentFraction">Per level, coarsest first, the share of pixels where the coherence match replaced a different approximate match in the level's last pass.</param>
/// <param name="Elapsed">Wall-clock time of the run.</param>
public sealed record ImageAnalogyResult(Tensor BPrime, Nnf Source, Tensor Coherent, IReadOnlyList<float> CoherentFraction, TimeSpan Elapsed) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        BPrime.Dispose();
        Source.Dispose();
        Coherent.Dispose();
    }
}
