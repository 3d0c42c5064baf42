namespace StyleLab.Weights;

/// <summary>How a Torch7 file is read.</summary>
public sealed record Torch7Options
{
    /// <summary>
    /// The size of a C <c>long</c> on the machine that wrote the file: 8 (Linux, macOS 64-bit), 4 (Windows,
    /// 32-bit systems), or null to try 8 and then 4 (a file read with the wrong size fails its bounds checks).
    /// </summary>
    public int? LongSize { get; init; }

    /// <summary>How deeply tables and objects may nest; deeper files are refused rather than overflowing the stack.</summary>
    public int MaxDepth { get; init; } = 256;
}
