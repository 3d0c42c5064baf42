namespace StyleLab.Methods;

/// <summary>Interpolation weights of several styles (§4 of the paper): non-negative, normalised to sum to 1.</summary>
public static class StyleWeights
{
    /// <summary>
    /// <paramref name="weights"/> divided by their sum; null means equal weights. Errors name what is wrong
    /// (count, a negative or non-finite weight, all zero).
    /// </summary>
    public static double[] Normalise(IReadOnlyList<double>? weights, int styles)
    {
        if (styles < 1) throw new ArgumentException("At least one style is needed.", nameof(styles));
        weights ??= Enumerable.Repeat(1.0, styles).ToArray();
        if (weights.Count != styles)
            throw new ArgumentException($"{weights.Count} interpolation weights were given for {styles} styles; give one per style.", nameof(weights));
        if (weights.Any(w => !double.IsFinite(w) || w < 0))
            throw new ArgumentException($"Interpolation weights must be finite and non-negative; got {string.Join(", ", weights)}.", nameof(weights));
        double sum = weights.Sum();
        if (sum <= 0) throw new ArgumentException("At least one interpolation weight must be positive.", nameof(weights));
        return weights.Select(w => w / sum).ToArray();
    }
}
