namespace StyleLab.Weights;

/// <summary>What <see cref="WeightImporter"/> did with one file.</summary>
/// <param name="Source">The file, or <c>archive.zip!inner/path</c> for an archive member.</param>
/// <param name="Found">What the tensors are (<see cref="WeightRecognition.Description"/>), or why the file was not read.</param>
/// <param name="Id">The manifest id it was filed under; null when it was not imported.</param>
/// <param name="Destination">Where it was copied; null when it was not imported.</param>
/// <param name="Sha256">The file's SHA-256; null when it was not read.</param>
/// <param name="Note">Why it was not imported, or a remark (no published hash to compare with, …).</param>
public sealed record WeightImport(string Source, string Found, string? Id, string? Destination, string? Sha256, string? Note)
{
    public bool Imported => Id is not null;
}
