namespace StyleLab.Cli;

/// <summary>What a finished run tells the user.</summary>
/// <param name="Output">Where the image was written.</param>
/// <param name="FirstLoss">The objective at the first step.</param>
/// <param name="LastLoss">The objective at the last step.</param>
/// <param name="Steps">Steps run (over all pyramid levels).</param>
/// <param name="Elapsed">Optimisation time.</param>
public sealed record GatysSummary(string Output, double FirstLoss, double LastLoss, int Steps, TimeSpan Elapsed);
