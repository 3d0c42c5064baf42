using System.IO.Hashing;
using System.Text;

namespace StyleLab.Batch;

/// <summary>
/// Generates a manifest from a folder of photos and a folder of paintings, deterministically: the same folders,
/// pairing and seed give the same items on every machine. Each photo's draw depends only on the seed and that
/// photo's relative path, so adding photos never changes the styles of the others. Outputs mirror the content
/// tree: <c>a/b/photo.png</c> for one style per photo, <c>a/b/photo-painting.png</c> when a photo gets several.
/// </summary>
/// <param name="Contents">Folder of photos (searched recursively).</param>
/// <param name="Styles">Folder of style images; for <c>fast</c>, a comma-separated list of network names.</param>
/// <param name="Method">The method every item uses.</param>
/// <param name="Pairing">How photos and styles pair.</param>
/// <param name="PerContent">K for <see cref="Pairing.PerContent"/>.</param>
/// <param name="Seed">Seed of the random draws.</param>
public sealed record BatchRecipe(string Contents, string Styles, string Method, Pairing Pairing = Pairing.Random, int PerContent = 1, ulong Seed = 0)
{
    /// <summary>Longest side of every item, in pixels; null: each image's own size.</summary>
    public int? Size { get; init; }

    /// <summary>Image extensions read from the folders.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif"];

    /// <summary>
    /// Stylized-ImageNet (Geirhos et al., ICLR 2019): every photo with one randomly drawn painting, by AdaIN at full
    /// strength, the output at the photo's place in the tree.
    /// </summary>
    public static BatchRecipe StylizedImageNet(string contents, string styles, ulong seed = 0) => new(contents, styles, "adain", Pairing.Random, 1, seed);

    /// <summary>The items, in content order (ordinal by relative path), then style order.</summary>
    /// <exception cref="ArgumentException">A folder is missing or empty, or K is out of range.</exception>
    public IReadOnlyList<BatchItem> Generate()
    {
        var contents = Images(Contents, "contents");
        var styles = Method == "fast" && !Directory.Exists(Styles)
            ? Styles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList()
            : Images(Styles, "styles").Select(s => Path.Combine(Styles, s)).ToList();
        if (styles.Count == 0) throw new ArgumentException($"--styles '{Styles}' names no style.");
        int k = Pairing switch { Pairing.Random => 1, Pairing.All => styles.Count, _ => PerContent };
        if (k < 1 || k > styles.Count) throw new ArgumentException($"per-content K must lie in 1 … {styles.Count} (the number of styles), not {k}.");
        var items = new List<BatchItem>();
        foreach (var content in contents)
        {
            var chosen = Pairing == Pairing.All ? Enumerable.Range(0, styles.Count).ToList() : Draw(content, styles.Count, k);
            string stem = Path.ChangeExtension(content, null).Replace('\\', '/');
            foreach (int s in chosen)
            {
                string output = Pairing == Pairing.Random ? stem + ".png" : $"{stem}-{Path.GetFileNameWithoutExtension(styles[s])}.png";
                items.Add(new BatchItem(Path.Combine(Contents, content), [styles[s]], Method, output) { Size = Size });
            }
        }
        return items;
    }

    /// <summary>Image files under <paramref name="folder"/>, relative, '/'-separated, in ordinal order.</summary>
    static List<string> Images(string folder, string option)
    {
        if (!Directory.Exists(folder)) throw new ArgumentException($"--{option} '{folder}' is not a folder.");
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new ArgumentException($"--{option} '{folder}' holds no images ({string.Join(", ", ImageExtensions)}).");
    }

    /// <summary>
    /// <paramref name="k"/> distinct indices below <paramref name="n"/>, a partial Fisher–Yates shuffle driven by
    /// SplitMix64 seeded with xxHash64(content path, seed): stable across .NET versions, unlike System.Random.
    /// </summary>
    List<int> Draw(string content, int n, int k)
    {
        ulong state = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(content), unchecked((long)Seed));
        var indices = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < k; i++)
        {
            int j = i + (int)(SplitMix64(ref state) % (ulong)(n - i));
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
        return indices.Take(k).ToList();
    }

    static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
