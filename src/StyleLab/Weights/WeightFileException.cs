namespace StyleLab.Weights;

/// <summary>
/// A weight file could not be read: it is truncated, corrupt, not in a format StyleLab reads,
/// or it asks for something StyleLab refuses to do (such as calling a Python function).
/// </summary>
/// <remarks>
/// The message always names the file and the problem, because the user who sees it usually
/// has many weight files and needs to know which one to replace.
/// </remarks>
public sealed class WeightFileException : Exception
{
    /// <summary>Creates the exception; the message names the file, then the problem.</summary>
    public WeightFileException(string filePath, string problem, Exception? innerException = null)
        : base($"{MessagePrefix}{filePath}': {problem}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>How every message starts (then the file name): front ends that see only a message can still tell a weight-file error.</summary>
    public const string MessagePrefix = "Cannot load weights from '";

    /// <summary>The file (or stream display name) that could not be read.</summary>
    public string FilePath { get; }
}
