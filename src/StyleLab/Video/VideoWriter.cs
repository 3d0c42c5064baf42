using static TorchSharp.torch;

namespace StyleLab.Video;

/// <summary>
/// Encodes frames [1,3,H,W] in [0,1] into a video through FFmpeg, streamed as raw RGB24 on its input: H.264 in
/// .mp4/.mov/.mkv (yuv420p, plays everywhere), VP9 in .webm, a palette GIF in .gif. The frame rate is kept exact
/// (a rational such as 30000/1001), and the audio of <c>audioFrom</c> is copied in (AAC; Opus in .webm) when it has any.
/// <see cref="Dispose"/> closes FFmpeg's input and waits for it to finish the file, so a run cut short leaves a
/// playable video of the frames written so far.
/// </summary>
public sealed class VideoWriter : IDisposable
{
    readonly FfmpegProcess _ffmpeg;
    readonly Stream _stream;
    readonly string _path;
    bool _closed;

    public int Width { get; }
    public int Height { get; }

    /// <summary>Frames written.</summary>
    public int Count { get; private set; }

    /// <param name="path">The output file; its extension chooses the codec.</param>
    /// <param name="width">Frame width (even for H.264).</param>
    /// <param name="height">Frame height (even for H.264).</param>
    /// <param name="frameRate">Frames per second, e.g. "30000/1001" or "25".</param>
    /// <param name="audioFrom">A file whose audio track to keep (none: silent).</param>
    public VideoWriter(string path, int width, int height, string frameRate, string? audioFrom = null)
    {
        (Width, Height, _path) = (width, height, path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        List<string> args = ["-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{width}x{height}", "-r", frameRate, "-i", "pipe:0"];
        bool audio = audioFrom is not null && extension != ".gif";
        if (audio) args.AddRange(["-i", audioFrom!, "-map", "0:v:0", "-map", "1:a:0?"]);
        args.AddRange(extension switch
        {
            ".webm" => ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-b:v", "0", "-crf", "32", .. audio ? new[] { "-c:a", "libopus" } : []],
            ".gif" => ["-vf", "split[a][b];[a]palettegen[p];[b][p]paletteuse"],
            ".mp4" or ".mov" or ".mkv" or ".m4v" => ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", "-preset", "veryfast", .. audio ? new[] { "-c:a", "aac" } : []],
            _ => throw new ArgumentException($"'{path}': write .mp4, .mov, .mkv, .webm or .gif.", nameof(path)),
        });
        // The audio may outlast the frames (a run cut short): end with the video.
        if (audio) args.Add("-shortest");
        args.Add(path);
        _ffmpeg = Ffmpeg.Start("ffmpeg", args, writeInput: true, readOutput: false);
        _stream = _ffmpeg.Process.StandardInput.BaseStream;
    }

    /// <summary>Appends one frame [1,3,H,W] (or [3,H,W]) in [0,1] of the writer's size.</summary>
    public void Write(Tensor frame)
    {
        var image = frame.dim() == 4 ? frame[0] : frame;
        if (image.dim() != 3 || image.shape[0] != 3 || image.shape[1] != Height || image.shape[2] != Width)
            throw new ArgumentException($"Frames of '{_path}' are [1,3,{Height},{Width}]; got [{string.Join(",", frame.shape)}].", nameof(frame));
        byte[] bytes;
        using (var scope = NewDisposeScope())
            bytes = image.detach().cpu().clamp(0, 1).mul(255f).round().to(ScalarType.Byte).permute(1, 2, 0).contiguous().data<byte>().ToArray();
        try { _stream.Write(bytes); }
        catch (IOException e) { throw new IOException($"ffmpeg stopped writing '{_path}': {_ffmpeg.Errors}", e); }
        Count++;
    }

    /// <summary>Closes FFmpeg's input and waits until the file is complete.</summary>
    /// <exception cref="IOException">FFmpeg failed (its message is included).</exception>
    public void Close()
    {
        if (_closed) return;
        _closed = true;
        _stream.Close();
        _ffmpeg.WaitForSuccess($"to write '{_path}'");
    }

    public void Dispose()
    {
        try { Close(); }
        catch (IOException) { }
        _ffmpeg.Dispose();
    }
}
