namespace StyleLab.Weights;

/// <summary>What <see cref="OfficialWeights.Find"/> found: a path per id found.</summary>
public sealed record OfficialWeightsFound(OfficialWeights Weights, IReadOnlyDictionary<string, string> Paths, IReadOnlyList<string> Problems)
{
    /// <summary>True when every file of the paper's model is here.</summary>
    public bool Complete => Weights.Ids.All(Paths.ContainsKey);

    /// <summary>The ids not found.</summary>
    public IReadOnlyList<string> Missing => Weights.Ids.Where(id => !Paths.ContainsKey(id)).ToList();

    /// <summary>The file found for <paramref name="id"/>.</summary>
    public string this[string id] => Paths.TryGetValue(id, out var path) ? path
        : throw new KeyNotFoundException($"the official weights '{id}' were not found; see `stylelab weights list`.");

    /// <summary>
    /// One line: "Official weights: …" with the files in use, or what <paramref name="fallback"/> is used instead
    /// and how to get the paper's (<c>stylelab weights fetch</c> for direct downloads, <c>weights import</c> for archives).
    /// </summary>
    public string Banner(string fallback) => Complete
        ? $"Official weights of {Weights.Paper}: {string.Join(", ", Weights.Ids.Select(id => Path.GetFileName(Paths[id])))} (the paper's results)."
        : $"Official weights of {Weights.Paper} not found (missing {string.Join(", ", Missing)}): using {fallback}. " +
          $"`stylelab weights list` shows where they are looked for; `stylelab weights fetch ID` downloads those with a URL, " +
          $"`stylelab weights import FILE|FOLDER|ZIP` files hand-downloaded ones.";
}
