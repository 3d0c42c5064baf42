using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>The outcome of <see cref="DeepImageAnalogy.Run"/>: A′ and B, the pixel-level fields, and every level's intermediates. Dispose to free them all.</summary>
/// <param name="APrime">A′ [1,3,H,W]: A's structure in B′'s appearance.</param>
/// <param name="B">B [1,3,H′,W′]: B′'s structure in A's appearance.</param>
/// <param name="AToB">φ_{a→b} at pixel resolution (A → B′), the field that voted A′.</param>
/// <param name="BToA">φ_{b→a} at pixel resolution (B′ → A), the field that voted B.</param>
/// <param name="Levels">Per-level results, deepest first.</param>
/// <param name="Timings">Wall-clock time of every stage, in order.</param>
public sealed record DeepAnalogyResult(
    Tensor APrime,
    Tensor B,
    Nnf AToB,
    Nnf BToA,
    IReadOnlyList<DeepAnalogyLevelResult> Levels,
    IReadOnlyList<DeepAnalogyTiming> Timings) : IDisposable
{
    /// <summary>Total time per stage over all levels.</summary>
    public IReadOnlyDictionary<DeepAnalogyStage, TimeSpan> TimeByStage =>
        Timings.GroupBy(t => t.Stage).ToDictionary(g => g.Key, g => TimeSpan.FromTicks(g.Sum(t => t.Duration.Ticks)));

    /// <inheritdoc/>
    public void Dispose()
    {
        APrime.Dispose();
        B.Dispose();
        AToB.Dispose();
        BToA.Dispose();
        foreach (var level in Levels) level.Dispose();
    }
}
