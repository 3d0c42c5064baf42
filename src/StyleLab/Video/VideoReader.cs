using static TorchSharp.torch;

namespace StyleLab.Video;

/// <summary>
/// Decodes a video (any format FFmpeg reads: mp4, webm, gif, mkv, an image sequence pattern like <c>frame%04d.png</c>)
/// into frames [1,3,H,W] float32 RGB in [0,1], one at a time, streamed through a pipe as raw RGB24 — no folder of
/// images. Resizes while decoding when asked (longest side, even sides for the encoders).
/// </summary>
public sealed class VideoReader : IDisposable
{
    readonly FfmpegProcess _ffmpeg;
    readonly Stream _stream;
    readonly byte[] _buffer;
    readonly Device _device;

    /// <summary>The input's properties (its own size; see <see cref="Width"/>/<see cref="Height"/> for the frames').</summary>
    public VideoInfo Info { get; }
    public int Width { get; }
    public int Height { get; }

    /// <param name="path">The video.</param>
    /// <param name="longestSide">Resize so the longer side has this many pixels (null: the video's size, made even).</param>
    /// <param name="device">Where the frames go.</param>
    public VideoReader(string path, int? longestSide = null, Device? device = null)
    {
        Info = VideoInfo.Probe(path);
        (Width, Height) = FrameSize(Info.Width, Info.Height, longestSide);
        _device = device ?? CPU;
        _buffer = new byte[Width * Height * 3];
        _ffmpeg = Ffmpeg.Start("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-vf", $"scale={Width}:{Height}:flags=area",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], writeInput: false, readOutput: true);
        _stream = _ffmpeg.Process.StandardOutput.BaseStream;
    }

    /// <summary>The frame size for a video of <paramref name="width"/>×<paramref name="height"/>: even sides (yuv420p needs them).</summary>
    public static (int Width, int Height) FrameSize(int width, int height, int? longestSide)
    {
        double scale = longestSide is { } l ? l / (double)Math.Max(width, height) : 1;
        static int Even(double v) => Math.Max(2, (int)Math.Round(v / 2) * 2);
        return (Even(width * scale), Even(height * scale));
    }

    /// <summary>The next frame, or null at the end of the video.</summary>
    /// <exception cref="IOException">FFmpeg failed to decode (its message is included).</exception>
    public Tensor? Read()
    {
        int filled = 0;
        while (filled < _buffer.Length)
        {
            int n = _stream.Read(_buffer, filled, _buffer.Length - filled);
            if (n == 0) break;
            filled += n;
        }
        if (filled == 0)
        {
            _ffmpeg.WaitForSuccess("to decode the video");
            return null;
        }
        if (filled < _buffer.Length) throw new IOException($"The video ended inside a frame ({filled} of {_buffer.Length} bytes): {_ffmpeg.Errors}");
        using var scope = NewDisposeScope();
        var frame = tensor(_buffer, [Height, Width, 3]).permute(2, 0, 1).unsqueeze(0).to(ScalarType.Float32).div(255f);
        return frame.to(_device).MoveToOuterDisposeScope();
    }

    /// <summary>Every remaining frame, one at a time (each owned by the receiver).</summary>
    public IEnumerable<Tensor> Frames()
    {
        while (Read() is { } frame) yield return frame;
    }

    public void Dispose() => _ffmpeg.Dispose();
}
