using StyleLab.Imaging;
using StyleLab.Video;

namespace StyleLab.Tests.Video;

/// <summary>The synthetic clips the video tests share, made from ../shared photos (null where ../shared is absent).</summary>
static class VideoClips
{
    public static string? Photo(string kind, string name) =>
        TestPaths.Shared is { } s && File.Exists(Path.Combine(s, "data", kind, name)) ? Path.Combine(s, "data", kind, name) : null;

    /// <summary>chicago.jpg panned 2.5 px right and 1.25 px up per frame, 128×96.</summary>
    public static SyntheticVideo? Pan(int frames = 6, int width = 128, int height = 96) =>
        Photo("content", "chicago.jpg") is { } p ? SyntheticVideo.PanFromFile(p, frames, width, height, 2.5, -1.25) : null;

    /// <summary>A 32×24 crop of Starry Night sliding 4 px right per frame over golden_gate.jpg at 128×96.</summary>
    public static SyntheticVideo? Sprite(int frames = 5)
    {
        if (Photo("content", "golden_gate.jpg") is not { } b || Photo("style", "Starry.jpg") is not { } s) return null;
        using var background = ImageIO.Load(b, new ImageLoadOptions { Size = Resize.Exact(128, 96) });
        using var sprite = ImageIO.Load(s, new ImageLoadOptions { Size = Resize.Exact(32, 24) });
        return SyntheticVideo.Sprite(background, sprite, frames, 20, 36, 4, 0);
    }
}
