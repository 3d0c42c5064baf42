namespace StyleLab.Batch;

/// <summary>A batch manifest that cannot be used; the message names the file, the line and the problem.</summary>
public sealed class ManifestException(string path, int line, string problem)
    : Exception(line > 0 ? $"Manifest '{path}' line {line}: {problem}" : $"Manifest '{path}': {problem}");
