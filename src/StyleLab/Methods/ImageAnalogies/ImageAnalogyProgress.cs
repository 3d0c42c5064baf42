namespace StyleLab.Methods.ImageAnalogies;

/// <summary>A progress report of <see cref="ImageAnalogy"/>: a synthesis pass starts.</summary>
/// <param name="Level">0-based pyramid level, coarsest first.</param>
/// <param name="Levels">Number of levels.</param>
/// <param name="Pass">1-based pass within the level.</param>
/// <param name="Passes">Passes per level.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record ImageAnalogyProgress(int Level, int Levels, int Pass, int Passes, TimeSpan Elapsed);
