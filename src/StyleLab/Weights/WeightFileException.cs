namespace StyleLab.Weights;

/// <summary>A weight file could not be read: the message names the file and what is wrong with it.</summary>
public sealed class WeightFileException : IOException
{
    public WeightFileException(string filePath, string problem, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file (or display name of the stream) that failed.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
