namespace StyleLab.Methods.ImageQuilting;

/// <summary>A progress report of <see cref="Quilting"/>: a block has been placed.</summary>
/// <param name="Iteration">1-based pass.</param>
/// <param name="Iterations">Number of passes.</param>
/// <param name="BlockSize">Block side in this pass.</param>
/// <param name="Block">Blocks placed so far in this pass.</param>
/// <param name="Blocks">Blocks in this pass.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record QuiltingProgress(int Iteration, int Iterations, int BlockSize, int Block, int Blocks, TimeSpan Elapsed);
