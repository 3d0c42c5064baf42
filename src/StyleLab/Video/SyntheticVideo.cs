using StyleLab.Imaging;
using static TorchSharp.torch;

namespace StyleLab.Video;

/// <summary>
/// A short clip made from still images with known motion, for measuring flow, masks and flicker: every frame,
/// and for every frame t ≥ 1 its true backward flow (t → t − 1) and its true visibility mask (1 where the pixel of
/// frame t is visible in frame t − 1). Owns its tensors.
/// </summary>
public sealed class SyntheticVideo : IDisposable
{
    public IReadOnlyList<Tensor> Frames { get; }

    /// <summary>True backward flows; index t − 1 belongs to frame t.</summary>
    public IReadOnlyList<Tensor> Flows { get; }

    /// <summary>True visibility masks [1,1,H,W]; index t − 1 belongs to frame t.</summary>
    public IReadOnlyList<Tensor> Visible { get; }

    SyntheticVideo(List<Tensor> frames, List<Tensor> flows, List<Tensor> visible) => (Frames, Flows, Visible) = (frames, flows, visible);

    /// <summary>
    /// A camera pan over <paramref name="photo"/> [1,3,H,W]: a <paramref name="width"/>×<paramref name="height"/> window
    /// moving by (<paramref name="dx"/>, <paramref name="dy"/>) pixels per frame (sub-pixel steps are resampled
    /// bilinearly), so the true backward flow is (dx, dy) everywhere; pixels whose source left the window are not visible.
    /// The photo is smoothed first (Gaussian, σ = 1 px): bilinear shifts of a sharp photo blur some frames more than
    /// others (a half-pixel shift averages two pixels, a whole one none), which no flow could explain.
    /// </summary>
    public static SyntheticVideo Pan(Tensor photo, int frames, int width, int height, double dx, double dy)
    {
        double needX = width + Math.Abs(dx) * (frames - 1), needY = height + Math.Abs(dy) * (frames - 1);
        if (photo.shape[3] < needX + 1 || photo.shape[2] < needY + 1)
            throw new ArgumentException($"The photo [{photo.shape[2]}×{photo.shape[3]}] is too small for a {frames}-frame pan of {width}×{height} by ({dx}, {dy}) px per frame.", nameof(photo));
        double startX = dx < 0 ? -dx * (frames - 1) : 0, startY = dy < 0 ? -dy * (frames - 1) : 0;
        var list = new List<Tensor>();
        var flows = new List<Tensor>();
        var visible = new List<Tensor>();
        using var noGrad = no_grad();
        using var smooth = GaussianBlur.Apply(photo, 1.0);
        for (int t = 0; t < frames; t++)
        {
            using var scope = NewDisposeScope();
            double ox = startX + t * dx, oy = startY + t * dy;
            int ix = (int)Math.Floor(ox), iy = (int)Math.Floor(oy);
            var window = smooth[.., .., iy..(iy + height + 1), ix..(ix + width + 1)];
            var shift = Constant(ox - ix, oy - iy, height + 1, width + 1, photo.device);
            list.Add(FlowWarp.Warp(window, shift)[.., .., 0..height, 0..width].contiguous().DetachFromDisposeScope());
            if (t == 0) continue;
            var flow = Constant(dx, dy, height, width, photo.device);
            flows.Add(flow.DetachFromDisposeScope());
            visible.Add(FlowWarp.Inside(flow).DetachFromDisposeScope());
        }
        return new SyntheticVideo(list, flows, visible);
    }

    /// <summary>
    /// A sprite (e.g. a painting) sliding over a still <paramref name="background"/> by whole pixels
    /// (<paramref name="vx"/>, <paramref name="vy"/>) per frame from (<paramref name="x0"/>, <paramref name="y0"/>):
    /// true flow −v inside the sprite, 0 outside; the background it uncovers is not visible in the previous frame.
    /// </summary>
    public static SyntheticVideo Sprite(Tensor background, Tensor sprite, int frames, int x0, int y0, int vx, int vy)
    {
        long h = background.shape[2], w = background.shape[3], sh = sprite.shape[2], sw = sprite.shape[3];
        foreach (var t in new[] { 0, frames - 1 })
            if (x0 + t * vx < 0 || y0 + t * vy < 0 || x0 + t * vx + sw > w || y0 + t * vy + sh > h)
                throw new ArgumentException($"The {sw}×{sh} sprite leaves the {w}×{h} background by frame {t}.", nameof(sprite));
        var list = new List<Tensor>();
        var flows = new List<Tensor>();
        var visible = new List<Tensor>();
        using var noGrad = no_grad();
        Tensor Region(int t)
        {
            var m = zeros([1, 1, h, w], background.dtype, background.device);
            int x = x0 + t * vx, y = y0 + t * vy;
            m[.., .., y..(int)(y + sh), x..(int)(x + sw)] = 1;
            return m;
        }
        for (int t = 0; t < frames; t++)
        {
            using var scope = NewDisposeScope();
            var region = Region(t);
            var frame = background.clone();
            int x = x0 + t * vx, y = y0 + t * vy;
            frame[.., .., y..(int)(y + sh), x..(int)(x + sw)] = sprite;
            list.Add(frame.DetachFromDisposeScope());
            if (t == 0) continue;
            flows.Add((Constant(-vx, -vy, (int)h, (int)w, background.device) * region).DetachFromDisposeScope());
            visible.Add((1 - Region(t - 1) * (1 - region)).DetachFromDisposeScope());
        }
        return new SyntheticVideo(list, flows, visible);
    }

    /// <summary>A pan over <paramref name="photo"/> loaded from a file at a size that fits the motion.</summary>
    public static SyntheticVideo PanFromFile(string photo, int frames, int width, int height, double dx, double dy)
    {
        int longest = (int)Math.Ceiling(Math.Max(width + Math.Abs(dx) * frames, height + Math.Abs(dy) * frames) * 2) + 2;
        using var image = ImageIO.Load(photo, new ImageLoadOptions { Size = Resize.LongestSide(longest) });
        return Pan(image, frames, width, height, dx, dy);
    }

    static Tensor Constant(double u, double v, int height, int width, Device device) =>
        cat([full([1, 1, height, width], u, ScalarType.Float32, device), full([1, 1, height, width], v, ScalarType.Float32, device)], 1);

    public void Dispose()
    {
        foreach (var t in Frames.Concat(Flows).Concat(Visible)) t.Dispose();
    }
}
