using StyleLab.Assets;

namespace StyleLab.Weights;

/// <summary>One weight file StyleLab knows: what it is, where it is published and how to check it.</summary>
public sealed record WeightEntry
{
    /// <summary>Short stable name, e.g. <c>vgg19-caffe</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The file's name; may include a folder for multi-file models (<c>udnie/manifest.json</c>).</summary>
    public required string File { get; init; }

    /// <summary>Official download URLs, tried in order; empty when the file must be downloaded by hand.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>Full SHA-256 (lower-case hex) when known.</summary>
    public string? Sha256 { get; init; }

    /// <summary>A SHA-256 prefix the publisher put in the file name (torchvision: <c>vgg19-dcbb9e9d.pth</c>).</summary>
    public string? Sha256Prefix { get; init; }

    /// <summary>SHA-256 of the copy StyleLab's own tests use; informational, not required of downloads.</summary>
    public string? TestedSha256 { get; init; }

    public required WeightFormat Format { get; init; }

    /// <summary>caffe, torchvision or identity (see <see cref="Encoders.Preprocessing"/>).</summary>
    public string? Preprocessing { get; init; }

    /// <summary>How tensors are named inside (torchvision, adain-normalised, …).</summary>
    public string? Layout { get; init; }

    public required string Licence { get; init; }
    public string? Description { get; init; }

    /// <summary>False when the file holds only part of the network (see <see cref="Layers"/>).</summary>
    public bool Complete { get; init; } = true;

    /// <summary>Which layers the file holds.</summary>
    public string? Layers { get; init; }

    /// <summary>The official project page.</summary>
    public string? Homepage { get; init; }

    /// <summary>How to obtain the file when it cannot be downloaded automatically.</summary>
    public string? Obtain { get; init; }

    /// <summary>What a download must hash to.</summary>
    public ExpectedHash ExpectedHash => new(Sha256, Sha256Prefix);

    /// <summary>True when <c>stylelab weights fetch</c> can download it.</summary>
    public bool Downloadable => Urls.Count > 0;
}
