namespace StyleLab.Imaging;

/// <summary>
/// An image file that cannot be read or written. The message names the file and the problem;
/// <see cref="Problem"/> says which problem for code that handles some of them.
/// </summary>
public sealed class ImageFileException : IOException
{
    /// <summary>The file (or, for streams, the display name) the problem is about.</summary>
    public string FilePath { get; }

    /// <summary>Which problem it is.</summary>
    public ImageFileProblem Problem { get; }

    /// <summary>Creates the exception; <paramref name="detail"/> follows the file name in the message.</summary>
    public ImageFileException(string filePath, ImageFileProblem problem, string detail, Exception? inner = null)
        : base($"Image '{filePath}': {detail}", inner)
    {
        FilePath = filePath;
        Problem = problem;
    }
}
