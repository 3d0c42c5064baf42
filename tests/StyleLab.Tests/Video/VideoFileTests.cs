using StyleLab.Tests.Cli;
using StyleLab.Video;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace StyleLab.Tests.Video;

/// <summary>
/// Video files through FFmpeg: clips made in code from ../shared photos (a pan, with a sine audio track from FFmpeg's
/// lavfi source), read back and stylised by <c>stylelab video</c>; ffprobe checks what was written.
/// Skipped where FFmpeg is not installed (.ci/run installs it).
/// </summary>
public sealed class VideoFileTests(ITestOutputHelper output) : IDisposable
{
    const string NoFfmpeg = "ffmpeg is not installed (apt-get install ffmpeg; .ci/run installs it)";
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-video-").FullName;

    [SkippableFact]
    public void Frames_written_come_back_with_their_size_rate_and_count()
    {
        Skip.IfNot(Ffmpeg.IsAvailable, NoFfmpeg);
        using var clip = VideoClips.Pan(frames: 6);
        Skip.If(clip is null, "../shared photos are absent");
        string path = Path.Combine(_folder, "pan.mp4");
        Write(clip, path, "24000/1001", audio: false);
        var info = VideoInfo.Probe(path, countFrames: true);
        Assert.Equal((128, 96, 6, false), (info.Width, info.Height, info.Frames, info.HasAudio));
        Assert.Equal(24000 / 1001.0, info.FramesPerSecond, 3);
        using var reader = new VideoReader(path);
        var frames = reader.Frames().ToList();
        Assert.Equal(6, frames.Count);
        // H.264 at CRF 18 in yuv420p: close to the frames written, not equal.
        double error = (frames[3] - clip.Frames[3]).abs().mean().item<float>();
        output.WriteLine($"mean absolute error after an H.264 round trip: {error:F4}");
        Assert.True(error < 0.03, $"decoded frame differs by {error:F4}");
        foreach (var f in frames) f.Dispose();
    }

    [SkippableFact]
    public void A_writer_closed_early_leaves_a_playable_file()
    {
        // What Ctrl+C does in `stylelab video`: the frames so far, then the encoder's input closed.
        Skip.IfNot(Ffmpeg.IsAvailable, NoFfmpeg);
        string path = Path.Combine(_folder, "partial.mp4");
        using (var writer = new VideoWriter(path, 64, 48, "25"))
            for (int i = 0; i < 3; i++)
            {
                using var frame = full(1, 3, 48, 64, i / 3f);
                writer.Write(frame);
            }
        Assert.Equal(3, VideoInfo.Probe(path, countFrames: true).Frames);
    }

    [SkippableFact]
    public async Task Stylelab_video_writes_an_mp4_with_the_frames_rate_and_audio_of_its_input()
    {
        Skip.IfNot(Ffmpeg.IsAvailable, NoFfmpeg);
        Skip.If(TestPaths.SharedFastStyle("wave") is null, "../shared fast-style weights are absent");
        using var clip = VideoClips.Pan(frames: 8);
        Skip.If(clip is null, "../shared photos are absent");
        string input = Path.Combine(_folder, "in.mp4"), result = Path.Combine(_folder, "out.mp4");
        Write(clip, input, "12", audio: true);
        var run = await CliRun.InvokeAsync("video", "-i", input, "-o", result, "--method", "fast", "-s", "wave", "--size", "128");
        output.WriteLine(run.Output + run.Error);
        Assert.Equal(0, run.ExitCode);
        var info = VideoInfo.Probe(result, countFrames: true);
        Assert.Equal((128, 96, 8, "12/1", true), (info.Width, info.Height, info.Frames, info.FrameRate, info.HasAudio));
        Assert.Contains("warping error", run.Output);
    }

    [SkippableFact]
    public async Task Stylelab_video_cancelled_midway_leaves_a_playable_mp4_of_the_frames_done()
    {
        Skip.IfNot(Ffmpeg.IsAvailable, NoFfmpeg);
        Skip.If(TestPaths.SharedFastStyle("wave") is null, "../shared fast-style weights are absent");
        using var clip = VideoClips.Pan(frames: 200, width: 64, height: 48);
        Skip.If(clip is null, "../shared photos are absent");
        string input = Path.Combine(_folder, "long.mp4"), result = Path.Combine(_folder, "cut.mp4");
        Write(clip, input, "10", audio: false);
        using var cancel = new CancellationTokenSource();
        var run = CliRun.InvokeAsync(cancel.Token, "video", "-i", input, "-o", result, "--method", "fast", "-s", "wave", "--size", "64");
        // Ctrl+C half a second after FFmpeg opened the output (it does so on the first frame it receives), or after 60 s.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!run.IsCompleted && clock.Elapsed.TotalSeconds < 60 && !File.Exists(result))
            await Task.Delay(10);
        await Task.Delay(500);
        cancel.Cancel();
        var done = await run;
        output.WriteLine($"exit {done.ExitCode}: {done.Error}");
        var info = VideoInfo.Probe(result, countFrames: true);
        output.WriteLine($"{info.Frames} of 200 frames kept");
        Assert.Equal(130, done.ExitCode);
        Assert.InRange(info.Frames ?? 0, 1, 199);
    }

    [SkippableFact]
    public async Task Stylelab_video_says_what_is_wrong()
    {
        Skip.IfNot(Ffmpeg.IsAvailable, NoFfmpeg);
        var missing = await CliRun.InvokeAsync("video", "-i", Path.Combine(_folder, "nothing.mp4"), "-o", Path.Combine(_folder, "o.mp4"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);
        string input = Path.Combine(_folder, "still.mp4");
        using (var writer = new VideoWriter(input, 64, 48, "10"))
        using (var frame = zeros(1, 3, 48, 64)) writer.Write(frame);
        var ruder = await CliRun.InvokeAsync("video", "-i", input, "-o", Path.Combine(_folder, "o.mp4"), "--method", "fast", "--temporal", "ruder");
        Assert.Equal(2, ruder.ExitCode);
        Assert.Contains("gatys", ruder.Error);
        string existing = Path.Combine(_folder, "yesterday.mp4");
        File.WriteAllText(existing, "keep me");
        var kept = await CliRun.InvokeAsync("video", "-i", input, "-o", existing, "--method", "fast");
        Assert.Equal(2, kept.ExitCode);
        Assert.Contains("--force", kept.Error);
        Assert.Equal("keep me", File.ReadAllText(existing));
    }

    /// <summary>The clip as a video file; with audio, a 440 Hz sine from FFmpeg's lavfi source as long as the clip.</summary>
    void Write(SyntheticVideo clip, string path, string rate, bool audio)
    {
        string? sound = null;
        if (audio)
        {
            sound = Path.Combine(_folder, "sine.m4a");
            using var sine = System.Diagnostics.Process.Start("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", sound])!;
            sine.WaitForExit();
            Assert.Equal(0, sine.ExitCode);
        }
        using var writer = new VideoWriter(path, (int)clip.Frames[0].shape[3], (int)clip.Frames[0].shape[2], rate, sound);
        foreach (var frame in clip.Frames) writer.Write(frame);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
