using StyleLab.Methods;
using StyleLab.Methods.Gatys;

namespace StyleLab.Video;

/// <summary>Settings of <see cref="VideoStylizer"/>; change with <c>with</c>.</summary>
public sealed record VideoOptions
{
    /// <summary>Per-frame stylisation with no temporal consistency.</summary>
    public static VideoOptions Default { get; } = new();

    /// <summary>None (per frame), Blend or Ruder.</summary>
    public TemporalMode Temporal { get; init; } = TemporalMode.None;

    /// <summary>
    /// Blend and Features: how much of the warped previous frame a consistent pixel keeps, in [0,1] (0 = per frame; 1 = the
    /// previous output wherever the flow is trusted, so only new content is stylised afresh). 0.9 kept the style loss within
    /// 5 % of per-frame stylisation for blend on the synthetic pan while cutting the flicker 4–5×; Features at 0.5 (docs/video.md).
    /// </summary>
    public double Strength { get; init; } = 0.9;

    /// <summary>
    /// Ruder: γ, the temporal weight relative to the content weight. The paper's 200 (<see cref="GatysTemporal.PaperWeight"/>)
    /// was too weak with StyleLab's presets and few L-BFGS steps: on the synthetic pan (64×48, 15 steps) it raised the
    /// warping error 2.4× over per-frame, while 2·10⁴ lowered it 3× with a lower style loss (docs/video.md).
    /// </summary>
    public double TemporalWeight { get; init; } = 2e4;

    /// <summary>The controls passed to the method for every frame (α, style weights, colour).</summary>
    public StyleControls Controls { get; init; } = StyleControls.Default;

    /// <summary>The optical flow's settings.</summary>
    public OpticalFlowOptions Flow { get; init; } = OpticalFlowOptions.Default;

    /// <summary>Checks the values; errors name the setting.</summary>
    public void Validate()
    {
        if (!(Strength >= 0 && Strength <= 1)) throw new ArgumentOutOfRangeException(nameof(Strength), Strength, "VideoOptions.Strength must lie in [0, 1].");
        if (!(TemporalWeight >= 0 && double.IsFinite(TemporalWeight))) throw new ArgumentOutOfRangeException(nameof(TemporalWeight), TemporalWeight, "VideoOptions.TemporalWeight must be a finite number ≥ 0.");
        if (Controls.Masks is not null) throw new ArgumentException("Masks are per image; a video takes no masks.", nameof(Controls));
        Flow.Validate();
    }
}
