namespace StyleLab.Methods.ImageQuilting;

/// <summary>One placed block (visualisation data): where it went, where it came from, how it was chosen and cut.</summary>
/// <param name="Iteration">1-based texture-transfer pass (1 for synthesis).</param>
/// <param name="OutputY">Top row of the block in the output canvas (may extend past the cropped output).</param>
/// <param name="OutputX">Left column in the output canvas.</param>
/// <param name="SourceY">Top row of the chosen block in the texture.</param>
/// <param name="SourceX">Left column in the texture.</param>
/// <param name="Size">Block side B.</param>
/// <param name="Overlap">Overlap width in this pass.</param>
/// <param name="Error">The chosen block's error (the weighted sum that ranked the candidates).</param>
/// <param name="Candidates">How many blocks were within (1 + ε) of the best error.</param>
/// <param name="Vertical">The cut through the left overlap, or null in the first column.</param>
/// <param name="Horizontal">The cut through the top overlap, or null in the first row.</param>
public sealed record BlockPlacement(int Iteration, int OutputY, int OutputX, int SourceY, int SourceX, int Size, int Overlap,
    float Error, int Candidates, BoundaryCut? Vertical, BoundaryCut? Horizontal);
