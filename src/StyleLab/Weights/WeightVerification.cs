namespace StyleLab.Weights;

/// <summary>The outcome of checking a weight file's SHA-256 against the registry.</summary>
public enum WeightVerdict
{
    /// <summary>The full published hash matches.</summary>
    Verified,
    /// <summary>The hash starts with the prefix in the published file name.</summary>
    PrefixVerified,
    /// <summary>No published hash, but it is the copy StyleLab's tests use.</summary>
    MatchesTestedCopy,
    /// <summary>Nothing to compare with.</summary>
    Unknown,
    /// <summary>The hash contradicts the registry: the file is corrupt or a different file.</summary>
    Mismatch,
}

/// <summary>A file's SHA-256 and what it says about the file.</summary>
public sealed record WeightVerification(WeightEntry Entry, string Path, string Sha256, WeightVerdict Verdict)
{
    /// <summary>False only for a mismatch.</summary>
    public bool Ok => Verdict != WeightVerdict.Mismatch;
}
