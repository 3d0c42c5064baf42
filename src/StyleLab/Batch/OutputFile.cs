using SkiaSharp;
using StyleLab.Imaging;
using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Batch;

/// <summary>
/// Exactly-once outputs: a result is encoded in memory, written to a hidden temporary file in the output's own
/// folder, flushed to disk and renamed over the final name (a rename within one file system is atomic), so the
/// final name only ever holds a whole image. A re-run still checks rather than assumes: an output counts as
/// complete only if it decodes entirely and has the size the content gives at the item's size.
/// </summary>
public static class OutputFile
{
    /// <summary>What marks a temporary file; <c>batch run</c> removes a shard's leftovers when it starts.</summary>
    public const string TemporaryMark = ".stylelab-tmp";

    /// <summary>The temporary name of <paramref name="path"/>: hidden, next to it, one per output, same extension (which picks the format).</summary>
    public static string TemporaryPath(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + TemporaryMark + Path.GetExtension(path));

    /// <summary>Encodes <paramref name="image"/> by <paramref name="path"/>'s extension and moves it into place atomically.</summary>
    /// <exception cref="ImageFileException">The image cannot be encoded (NaN, unknown extension); nothing is left behind.</exception>
    public static void Write(Tensor image, string path)
    {
        string temporary = TemporaryPath(path);
        try
        {
            ImageIO.Save(image, temporary);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite))
                stream.Flush(flushToDisk: true);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Removes a temporary file a killed run left for <paramref name="path"/>; true when there was one.</summary>
    public static bool RemoveStale(string path)
    {
        string temporary = TemporaryPath(path);
        if (!File.Exists(temporary)) return false;
        File.Delete(temporary);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="output"/> is a whole image of the size <paramref name="content"/> loads to at
    /// <paramref name="size"/> (the method keeps the content's size). False for a missing, truncated or
    /// mis-sized output, and when the content itself cannot be read (then the item runs and fails with the reason).
    /// </summary>
    public static bool IsComplete(string output, string content, Resize size)
    {
        if (!File.Exists(output)) return false;
        if (ExpectedSize(content, size) is not var (width, height)) return false;
        try
        {
            using var scope = NewDisposeScope();
            var image = ImageIO.Load(output);
            return image.shape[2] == height && image.shape[3] == width;
        }
        catch (ImageFileException) { return false; }
    }

    /// <summary>The upright size of <paramref name="content"/> after <paramref name="size"/>, from its header alone; null when unreadable.</summary>
    static (int Width, int Height)? ExpectedSize(string content, Resize size)
    {
        try
        {
            using var stream = RegularFile.OpenRead(content, problem => new IOException(problem));
            using var codec = SKCodec.Create(stream);
            if (codec is null) return null;
            var (w, h) = (codec.Info.Width, codec.Info.Height);
            // EXIF orientations 5–8 turn the stored pixels by 90°, as ImageIO.Load does.
            if (codec.EncodedOrigin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom)
                (w, h) = (h, w);
            return size.TargetSize(w, h);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
