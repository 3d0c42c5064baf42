namespace StyleLab.Video;

/// <summary>How a video's frames are kept consistent over time.</summary>
public enum TemporalMode
{
    /// <summary>Every frame stylised on its own: the baseline, which flickers.</summary>
    None,

    /// <summary>
    /// Any method: the previous output, carried forward along the flow by copying pixels (<see cref="PixelCopyWarp"/>),
    /// blended with the current one under the consistency mask, the current frame's contrast restored (Chen et al. 2017's
    /// composition, applied to the output rather than to learned features, with classical flow).
    /// </summary>
    Blend,

    /// <summary>
    /// Feed-forward methods with a decoder input (<see cref="Methods.IDecoderInputAccess"/>): Chen et al. 2017's
    /// composition where they put it — the previous frame's decoder input, warped by the flow, blended with the current
    /// one under the consistency mask, then decoded — with classical flow instead of their learned flow network.
    /// </summary>
    Features,

    /// <summary>Gatys only: Ruder et al. 2016 — start from the warped previous output and add the short-term temporal loss.</summary>
    Ruder,
}
