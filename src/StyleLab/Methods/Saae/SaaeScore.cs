namespace StyleLab.Methods.Saae;

/// <summary>How well a generator does on held-out styles.</summary>
/// <param name="Samples">Generated images judged.</param>
/// <param name="Recognition">Share of generated glyphs the classifier reads as the intended character.</param>
/// <param name="TargetRecognition">The same for the true targets (the classifier's own ceiling on these styles).</param>
/// <param name="ReconstructionL1">Mean absolute error per pixel (in [0,1] units) between generated images and true targets.</param>
public sealed record SaaeScore(int Samples, double Recognition, double TargetRecognition, double ReconstructionL1)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"recognised {Recognition:P1} of {Samples} generated glyphs (true targets: {TargetRecognition:P1}), L1 {ReconstructionL1:F4}";
}
