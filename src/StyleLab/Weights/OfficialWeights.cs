using StyleLab.Assets;

namespace StyleLab.Weights;

/// <summary>
/// A paper's own published weight files (by manifest id), found through the <see cref="WeightResolver"/>, and
/// the one-line banner a notebook or command shows: which weights are in use, or — when some are missing —
/// what is used instead and how to get the paper's.
/// </summary>
/// <param name="Paper">The method and paper, e.g. "AdaIN (Huang &amp; Belongie 2017)".</param>
/// <param name="Ids">Every file the paper's model needs.</param>
public sealed record OfficialWeights(string Paper, IReadOnlyList<string> Ids)
{
    public static OfficialWeights AdaIN { get; } = new("AdaIN (Huang & Belongie 2017)", ["adain-vgg-normalised", "adain-decoder"]);

    public static OfficialWeights WCT { get; } = new("WCT (Li et al. 2017)",
        ["wct-vgg", "wct-decoder5", "wct-decoder4", "wct-decoder3", "wct-decoder2", "wct-decoder1"]);

    public static OfficialWeights SANet { get; } = new("SANet (Park & Lee 2019)", ["sanet-vgg", "sanet-transformer", "sanet-decoder"]);

    public static OfficialWeights CAST { get; } = new("CAST (Zhang et al. 2022)", ["cast-ae", "cast-dec-b", "cast-dec-a"]);

    /// <summary>
    /// Looks for every file; downloads those with a direct URL when <paramref name="download"/> (a failed
    /// download leaves the file missing, with the reason in <see cref="OfficialWeightsFound.Problems"/>).
    /// </summary>
    public OfficialWeightsFound Find(WeightResolver? resolver = null, bool download = false)
    {
        var own = resolver is null ? new WeightResolver() : null;
        var r = resolver ?? own!;
        try
        {
            var found = new Dictionary<string, string>();
            var problems = new List<string>();
            foreach (var id in Ids)
            {
                if (r.Locate(id) is { } location) { found[id] = location.Path; continue; }
                if (!download || !r.Registry.Get(id).Downloadable) continue;
                try { found[id] = r.Resolve(id).Path; }
                catch (Exception e) when (e is WeightNotFoundException or AssetDownloadException or IOException or HttpRequestException)
                {
                    problems.Add($"{id}: {e.Message}");
                }
            }
            // Only a published hash can show that a file is the paper's; hash the files that have one.
            var verified = found.Where(p => r.Registry.Get(p.Key).ExpectedHash.IsKnown)
                .Select(p => WeightResolver.Verify(r.Registry.Get(p.Key), p.Value)).ToList();
            return new OfficialWeightsFound(this, found, problems, verified);
        }
        finally
        {
            own?.Dispose();
        }
    }
}
