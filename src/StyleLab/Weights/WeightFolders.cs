namespace StyleLab.Weights;

/// <summary>
/// The folders that hold weight collections (<c>fast-style-ml5/</c>, <c>magenta-arbitrary/</c>, …) for
/// methods that load a folder rather than one registered file: the <see cref="WeightResolver"/>'s
/// places, in its order (<c>STYLELAB_WEIGHTS</c>, the checkout's <c>weights/</c>, the cache).
/// </summary>
internal static class WeightFolders
{
    public static IReadOnlyList<string> Default()
    {
        using var resolver = new WeightResolver();
        return resolver.Places.Select(p => p.Directory).ToList();
    }
}
