namespace StyleLab.Methods.SANet;

/// <summary>The attention of both SANet levels for one content/style pair.</summary>
/// <param name="Shallow">At the shallow layer (relu4_1; relu3_1 offline).</param>
/// <param name="Deep">At the deep layer (relu5_1; pool3 offline).</param>
public sealed record SANetAttention(AttentionMap Shallow, AttentionMap Deep) : IDisposable
{
    /// <summary>Both levels, shallow first.</summary>
    public IReadOnlyList<AttentionMap> Levels => [Shallow, Deep];

    /// <inheritdoc/>
    public void Dispose()
    {
        Shallow.Dispose();
        Deep.Dispose();
    }
}
