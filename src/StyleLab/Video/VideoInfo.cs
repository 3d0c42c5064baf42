using System.Globalization;
using System.Text.Json;

namespace StyleLab.Video;

/// <summary>What ffprobe reports about a video file: frame size, frame rate, frame count, duration, audio.</summary>
/// <param name="FrameRate">The video stream's rate as ffprobe gives it ("30000/1001"), kept exact for the output.</param>
/// <param name="Frames">The frame count, exact when the container stores it, else duration × rate rounded; null when unknown.</param>
public sealed record VideoInfo(int Width, int Height, string FrameRate, int? Frames, double? Duration, bool HasAudio)
{
    /// <summary>Frames per second as a number.</summary>
    public double FramesPerSecond
    {
        get
        {
            var parts = FrameRate.Split('/');
            double n = double.Parse(parts[0], CultureInfo.InvariantCulture);
            double d = parts.Length > 1 ? double.Parse(parts[1], CultureInfo.InvariantCulture) : 1;
            return d == 0 ? 0 : n / d;
        }
    }

    /// <summary>Probes <paramref name="path"/>; with <paramref name="countFrames"/> ffprobe decodes the stream to count exactly.</summary>
    /// <exception cref="FileNotFoundException">The file, or ffprobe, is missing.</exception>
    /// <exception cref="IOException">ffprobe cannot read it, or it holds no video stream.</exception>
    public static VideoInfo Probe(string path, bool countFrames = false)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The video '{path}' does not exist.", path);
        List<string> args = ["-v", "error", "-print_format", "json", "-show_streams", "-show_format"];
        if (countFrames) args.Add("-count_frames");
        args.Add(path);
        using var probe = Ffmpeg.Start("ffprobe", args, writeInput: false, readOutput: true);
        string json = probe.Process.StandardOutput.ReadToEnd();
        probe.WaitForSuccess($"to read '{path}'");
        using var document = JsonDocument.Parse(json);
        var streams = document.RootElement.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.FirstOrDefault(s => s.GetProperty("codec_type").GetString() == "video");
        if (video.ValueKind == JsonValueKind.Undefined) throw new IOException($"'{path}' holds no video stream.");
        bool audio = streams.Any(s => s.GetProperty("codec_type").GetString() == "audio");
        string rate = Text(video, "avg_frame_rate") is { } r && r != "0/0" ? r : Text(video, "r_frame_rate") ?? "25/1";
        double? duration = Number(video, "duration") ?? (document.RootElement.TryGetProperty("format", out var format) ? Number(format, "duration") : null);
        int? frames = (int?)(countFrames ? Number(video, "nb_read_frames") : null) ?? (int?)Number(video, "nb_frames");
        var info = new VideoInfo(video.GetProperty("width").GetInt32(), video.GetProperty("height").GetInt32(), rate, frames, duration, audio);
        return frames is null && duration is { } d && info.FramesPerSecond > 0 ? info with { Frames = (int)Math.Round(d * info.FramesPerSecond) } : info;
    }

    static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static double? Number(JsonElement e, string name) =>
        Text(e, name) is { } s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
}
