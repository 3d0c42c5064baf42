using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>Everything one level of <see cref="DeepImageAnalogy.Run"/> produced, kept for inspection.</summary>
/// <param name="Level">The level's settings.</param>
/// <param name="AToB">φ_{a→b} at this level and its patch distances.</param>
/// <param name="BToA">φ_{b→a} at this level and its patch distances.</param>
/// <param name="APrimeFeatures">F^L_{A′}, the blend that was matched ([1,C,h,w]; F^L_A at the deepest level).</param>
/// <param name="BFeatures">F^L_B ([1,C,h′,w′]; F^L_{B′} at the deepest level).</param>
/// <param name="ReconstructionBPrime">R^L_{B′}, deconvolved from the deeper level's warped F_{B′}; null at the deepest level.</param>
/// <param name="ReconstructionA">R^L_A, deconvolved from the deeper level's warped F_A; null at the deepest level.</param>
/// <param name="WeightsA">W^L_A [1,1,h,w] that blended F_{A′}; null at the deepest level.</param>
/// <param name="WeightsBPrime">W^L_{B′} [1,1,h′,w′] that blended F_B; null at the deepest level.</param>
/// <param name="APrimeImage">B′ voted through this level's φ_{a→b} (up-sampled to pixels): what A′ would be if the pyramid stopped here.</param>
/// <param name="BImage">A voted through this level's φ_{b→a}: B at this level.</param>
public sealed record DeepAnalogyLevelResult(
    DeepAnalogyLevel Level,
    PatchMatchResult AToB,
    PatchMatchResult BToA,
    Tensor APrimeFeatures,
    Tensor BFeatures,
    Tensor? ReconstructionBPrime,
    Tensor? ReconstructionA,
    Tensor? WeightsA,
    Tensor? WeightsBPrime,
    Tensor APrimeImage,
    Tensor BImage) : IDisposable
{
    /// <summary>The level's layer name.</summary>
    public string Layer => Level.Layer;

    /// <inheritdoc/>
    public void Dispose()
    {
        AToB.Dispose();
        BToA.Dispose();
        foreach (var t in new[] { APrimeFeatures, BFeatures, ReconstructionBPrime, ReconstructionA, WeightsA, WeightsBPrime, APrimeImage, BImage })
            t?.Dispose();
    }
}
