using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>
/// The fonts the synthetic characters are drawn in: every TrueType/OpenType file under the system's
/// font folders that has a glyph for each of <see cref="GlyphAlphabet.Characters"/>, sorted by path so
/// the same machine always lists them in the same order (the dataset is deterministic for a seed).
/// More fonts give more styles (Debian: fonts-dejavu, fonts-liberation, fonts-freefont-ttf, fonts-noto-core).
/// </summary>
public sealed class GlyphFonts : IDisposable
{
    static readonly string[] Extensions = [".ttf", ".otf"];

    readonly SKTypeface[] _typefaces;

    GlyphFonts(IReadOnlyList<string> files, SKTypeface[] typefaces, int plain)
    {
        Files = files;
        _typefaces = typefaces;
        PlainIndex = plain;
        // Every fifth font is kept out of training (when there are at least three), so held-out
        // styles can include a typeface the generator never saw.
        HeldOut = files.Count >= 3 ? Enumerable.Range(0, files.Count).Where(i => i % 5 == 4).ToArray() : [];
        Training = Enumerable.Range(0, files.Count).Except(HeldOut).ToArray();
    }

    /// <summary>The font folders searched by default: the system's, the local admin's and the user's.</summary>
    public static IReadOnlyList<string> DefaultFolders { get; } =
    [
        "/usr/share/fonts", "/usr/local/share/fonts",
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local/share/fonts"),
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fonts"),
        Environment.GetFolderPath(Environment.SpecialFolder.Fonts),
    ];

    /// <summary>The usable font files, sorted.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The font of the clean content glyphs (DejaVu Sans or Liberation Sans when present).</summary>
    public int PlainIndex { get; }

    /// <summary>Indices of the fonts styles may use in training.</summary>
    public IReadOnlyList<int> Training { get; }

    /// <summary>Indices of the fonts kept for held-out styles (empty with fewer than three fonts).</summary>
    public IReadOnlyList<int> HeldOut { get; }

    /// <summary>Fonts with all 36 glyphs left out as illegible, with their legibility (see <see cref="MinimumLegibility"/>).</summary>
    public IReadOnlyList<(string File, double Legibility)> Rejected { get; private init; } = [];

    /// <summary>Number of fonts.</summary>
    public int Count => _typefaces.Length;

    /// <summary>The typeface at <paramref name="index"/>.</summary>
    public SKTypeface this[int index] => _typefaces[index];

    /// <summary>A font file's name without folder or extension.</summary>
    public string Name(int index) => Path.GetFileNameWithoutExtension(Files[index]);

    /// <summary>Finds the fonts under <paramref name="folders"/> (default: <see cref="DefaultFolders"/>).</summary>
    /// <exception cref="InvalidOperationException">No font with all 36 characters was found.</exception>
    public static GlyphFonts Find(IEnumerable<string>? folders = null)
    {
        var searched = (folders ?? DefaultFolders).Where(f => !string.IsNullOrEmpty(f)).Distinct().ToList();
        var files = new List<string>();
        var typefaces = new List<SKTypeface>();
        var candidates = searched.Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories))
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Distinct().Order(StringComparer.Ordinal);
        foreach (var file in candidates)
        {
            var typeface = SKTypeface.FromFile(file);
            if (typeface is not null && HasAlphabet(typeface)) { files.Add(file); typefaces.Add(typeface); }
            else typeface?.Dispose();
        }
        int plain = new[] { "DejaVuSans.ttf", "LiberationSans-Regular.ttf", "FreeSans.ttf" }
            .Select(name => files.FindIndex(f => Path.GetFileName(f) == name)).FirstOrDefault(i => i >= 0, 0);
        var legible = Legibility(files, typefaces, plain);
        var keep = Enumerable.Range(0, files.Count).Where(i => legible[i] >= MinimumLegibility).ToList();
        foreach (var i in Enumerable.Range(0, files.Count).Except(keep)) typefaces[i].Dispose();
        if (keep.Count == 0)
            throw new InvalidOperationException(
                $"No text font with glyphs for {GlyphAlphabet.Characters} was found in {string.Join(", ", searched)}. " +
                "Install one, e.g. `apt-get install fonts-dejavu-core`.");
        return new GlyphFonts(keep.Select(i => files[i]).ToList(), keep.Select(i => typefaces[i]).ToArray(), Math.Max(0, keep.IndexOf(plain)))
        {
            Rejected = Enumerable.Range(0, files.Count).Except(keep).Select(i => (files[i], legible[i])).ToList(),
        };
    }

    /// <summary>The share of characters a font must draw recognisably (see <see cref="MeasureLegibility"/>).</summary>
    public const double MinimumLegibility = 0.45;

    /// <summary>
    /// For each font, the share of the 36 characters whose drawing (20×20, centred on its ink) correlates
    /// best with the plain font's drawing of the same character. Math, symbol and blackletter fonts map
    /// letters to shapes nobody reads as those letters; this keeps them out without a list of names.
    /// </summary>
    static double[] Legibility(List<string> files, List<SKTypeface> typefaces, int plain)
    {
        // Scores are cached per file version: every dataset, classifier and command finds the fonts again.
        string Key(int i) => $"{files[i]}|{new FileInfo(files[i]).Length}|{File.GetLastWriteTimeUtc(files[i]).Ticks}|{files[plain]}";
        if (files.Count > 0 && Enumerable.Range(0, files.Count).All(i => LegibilityCache.ContainsKey(Key(i))))
            return Enumerable.Range(0, files.Count).Select(i => LegibilityCache[Key(i)]).ToArray();
        var scores = files.Count == 0 ? [] : MeasureLegibility(new GlyphFonts(files, typefaces.ToArray(), plain));
        for (int i = 0; i < files.Count; i++) LegibilityCache[Key(i)] = scores[i];
        return scores;
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> LegibilityCache = new();

    static double[] MeasureLegibility(GlyphFonts fonts)
    {
        const int Size = 20;
        var renderer = new GlyphRenderer(fonts);
        using var scope = NewDisposeScope();
        Tensor Shapes(int font)
        {
            var glyphs = cat(GlyphAlphabet.Characters.Select(c => renderer.Render(c.ToString(), GlyphStyle.Clean(font), Size, Size)).ToArray(), 0);
            var ink = 1 - glyphs.mean([1]).flatten(1);
            ink = ink - ink.mean([1], keepdim: true);
            return ink / ink.norm(1, keepdim: true).clamp_min(1e-6);
        }
        var reference = Shapes(fonts.PlainIndex);
        var expected = arange(GlyphAlphabet.Count);
        return Enumerable.Range(0, fonts.Count)
            .Select(f => matmul(Shapes(f), reference.T).argmax(1).eq(expected).to_type(ScalarType.Float64).mean().item<double>())
            .ToArray();
    }

    // Symbol fonts (TeX's cmsy, msam, …) map some ASCII codes to symbols or to nothing; a real text
    // font has distinct glyphs for all 36 characters and for the lower-case letters too.
    static bool HasAlphabet(SKTypeface typeface)
    {
        var text = GlyphAlphabet.Characters + "abcdefghijklmnopqrstuvwxyz";
        var glyphs = typeface.GetGlyphs(text);
        return glyphs.All(g => g != 0) && glyphs.Distinct().Count() == glyphs.Length;
    }

    /// <summary>Releases the typefaces.</summary>
    public void Dispose()
    {
        foreach (var typeface in _typefaces) typeface.Dispose();
    }
}
