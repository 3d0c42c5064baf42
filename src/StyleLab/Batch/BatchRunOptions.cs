using static TorchSharp.torch;

namespace StyleLab.Batch;

/// <summary>How a shard runs: the device, each method's weights by role, whether registered weights may be downloaded.</summary>
public sealed record BatchRunOptions
{
    /// <summary>Where the methods run (default CPU).</summary>
    public Device? Device { get; init; }

    /// <summary>Method → role → file, folder or registry id (see <c>StyleTransferFactory.Roles</c>); missing roles take the defaults.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Weights { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Download registered weights found nowhere (default: offline, as a cluster node usually is).</summary>
    public bool Download { get; init; }
}
