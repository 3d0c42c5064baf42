namespace StyleLab.Data;

/// <summary>Whether a sample is a photo to stylise or a painting to take the style from.</summary>
public enum SampleKind { Content, Style }

/// <summary>A sample image: where it is published and under what terms.</summary>
public sealed record SampleImage
{
    /// <summary>"content" or "style": also the sub-folder it sits in.</summary>
    public required string Kind { get; init; }

    /// <summary>The file name, e.g. <c>chicago.jpg</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Public URLs of the file.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>The repository it comes from.</summary>
    public string? Source { get; init; }

    public required string Licence { get; init; }
    public string? Description { get; init; }

    /// <summary>SHA-256 of the copy StyleLab's tests use (informational).</summary>
    public string? TestedSha256 { get; init; }

    /// <summary>The file's path below a data folder: <c>content/chicago.jpg</c>.</summary>
    public string RelativePath => Path.Combine(Kind, Name);
}
