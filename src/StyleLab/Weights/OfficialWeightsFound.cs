namespace StyleLab.Weights;

/// <summary>What <see cref="OfficialWeights.Find"/> found: a path per id found.</summary>
/// <param name="Verified">The files found whose manifest entry has a published SHA-256, checked against it.</param>
public sealed record OfficialWeightsFound(OfficialWeights Weights, IReadOnlyDictionary<string, string> Paths, IReadOnlyList<string> Problems,
    IReadOnlyList<WeightVerification> Verified)
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
        ? $"Official weights of {Weights.Paper}: {string.Join(", ", Weights.Ids.Select(id => Path.GetFileName(Paths[id])))}. {Provenance()}"
        : $"Official weights of {Weights.Paper} not found (missing {string.Join(", ", Missing)}): using {fallback}. " +
          $"`stylelab weights list` shows where they are looked for; `stylelab weights fetch ID` downloads those with a URL, " +
          $"`stylelab weights import FILE|FOLDER|ZIP` files hand-downloaded ones.";

    /// <summary>
    /// Whether the results are the paper's: files are found by name and their layouts checked on loading, but only a
    /// published hash shows they are the published files, and most of these publishers give none.
    /// </summary>
    string Provenance()
    {
        var mismatched = Verified.Where(v => !v.Ok).Select(v => v.Entry.Id).ToList();
        if (mismatched.Count > 0)
            return $"{string.Join(", ", mismatched)} do(es) NOT match the published SHA-256: these are not the paper's files, and the results below are not the paper's.";
        int unverifiable = Weights.Ids.Count - Verified.Count;
        return unverifiable == 0
            ? "Every file matches its published SHA-256: the results below are the paper's."
            : $"The results below are the paper's if these are the published files: {(Verified.Count > 0 ? $"{Verified.Count} verified by SHA-256, " : "")}" +
              $"{unverifiable} with no published SHA-256 to check (`stylelab weights verify` compares them with the .sha256 recorded at import).";
    }
}
