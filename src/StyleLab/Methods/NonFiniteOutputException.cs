namespace StyleLab.Methods;

/// <summary>A method produced NaN or ±∞ pixels: usually broken or mismatched weights.</summary>
public sealed class NonFiniteOutputException : InvalidOperationException
{
    /// <summary>Names the method, how many values were not finite and the weight files it ran on.</summary>
    public NonFiniteOutputException(string method, long count, long total, IReadOnlyList<string> weightFiles)
        : base($"{method} produced {count} of {total} output values that are NaN or infinite; " +
            (weightFiles.Count == 0 ? "it ran on random weights." : $"check its weights: {string.Join(", ", weightFiles)}."))
    {
        Method = method;
        WeightFiles = weightFiles;
    }

    /// <summary>The method's name.</summary>
    public string Method { get; }

    /// <summary>The weight files it ran on.</summary>
    public IReadOnlyList<string> WeightFiles { get; }
}
