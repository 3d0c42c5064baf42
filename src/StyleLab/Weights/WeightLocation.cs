using StyleLab.Assets;

namespace StyleLab.Weights;

/// <summary>Where a weight file was found.</summary>
/// <param name="Entry">The registry entry, or null for a file given by path.</param>
/// <param name="Path">The file.</param>
/// <param name="Place">The search place it was found in ("explicit path", an env folder, …).</param>
public sealed record WeightLocation(WeightEntry? Entry, string Path, SearchPlace Place);
