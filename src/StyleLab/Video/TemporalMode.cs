namespace StyleLab.Video;

/// <summary>How a video's frames are kept consistent over time.</summary>
public enum TemporalMode
{
    /// <summary>Every frame stylised on its own: the baseline, which flickers.</summary>
    None,

    /// <summary>
    /// Any method: the previous output, warped by the flow, blended with the current one under the consistency mask
    /// (Chen et al. 2017's composition, applied to the output rather than to learned features, with classical flow).
    /// </summary>
    Blend,

    /// <summary>Gatys only: Ruder et al. 2016 — start from the warped previous output and add the short-term temporal loss.</summary>
    Ruder,
}
