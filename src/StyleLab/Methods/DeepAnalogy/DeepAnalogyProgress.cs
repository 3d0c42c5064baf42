namespace StyleLab.Methods.DeepAnalogy;

/// <summary>The stages of <see cref="DeepImageAnalogy.Run"/>, in order within a level.</summary>
public enum DeepAnalogyStage
{
    /// <summary>Encoding A and B′ through VGG-19.</summary>
    Encoding,
    /// <summary>Blending A′ and B at this level from the deeper level's reconstructions.</summary>
    Blending,
    /// <summary>PatchMatch φ_{a→b}.</summary>
    PatchMatchAToB,
    /// <summary>PatchMatch φ_{b→a}.</summary>
    PatchMatchBToA,
    /// <summary>Deconvolving the warped features to the next level.</summary>
    Deconvolution,
    /// <summary>Per-level warped images for inspection.</summary>
    Inspection,
    /// <summary>Final pixel-level voting of A′ and B.</summary>
    Voting,
    /// <summary>Finished.</summary>
    Done,
}

/// <summary>A progress report: which stage starts, at which level, and the time since the run began.</summary>
/// <param name="Stage">The stage that starts now.</param>
/// <param name="Layer">The level's layer (null for encoding, final voting and done).</param>
/// <param name="Level">0-based level index, deepest first (−1 outside levels).</param>
/// <param name="LevelCount">Number of levels.</param>
/// <param name="Elapsed">Time since <see cref="DeepImageAnalogy.Run"/> started.</param>
public sealed record DeepAnalogyProgress(DeepAnalogyStage Stage, string? Layer, int Level, int LevelCount, TimeSpan Elapsed);

/// <summary>How long one stage took.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Layer">Its level's layer, or null.</param>
/// <param name="Duration">Wall-clock time.</param>
public sealed record DeepAnalogyTiming(DeepAnalogyStage Stage, string? Layer, TimeSpan Duration);
