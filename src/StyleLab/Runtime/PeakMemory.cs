namespace StyleLab.Runtime;

/// <summary>
/// Estimates of a run's peak memory from the method and the image size, checked against the
/// <see cref="MemoryBudget"/> before the work starts.
/// </summary>
/// <remarks>
/// The per-pixel costs are measured, not derived: peak resident memory of <c>stylelab</c> on the CPU at two
/// sizes (2026-12-04, libtorch 2.10, oneDNN), the slope taken as the cost of a pixel and rounded up. The
/// activations of the networks dominate (VGG-19's 64-channel first block holds 256 bytes per pixel per
/// tensor, and optimisation keeps every layer's activations for the backward pass), so the cost is linear
/// in the pixel count.
/// </remarks>
public static class PeakMemory
{
    /// <summary>The process before the images: runtime, libtorch, a network's weights.</summary>
    public const long Baseline = 400L << 20;

    /// <summary>Feed-forward transformation network (Johnson et al.), inference: measured 850 bytes per pixel.</summary>
    public const long FastStyleBytesPerPixel = 900;

    /// <summary>
    /// Gatys et al. image optimisation, per content pixel: VGG-19 forward and backward (measured 3.0 kB per pixel,
    /// 128–512 px, Adam and L-BFGS alike over the first steps).
    /// </summary>
    public const long GatysBytesPerPixel = 3200;

    /// <summary>Per style pixel: the style image's forward pass for its Gram targets.</summary>
    public const long GatysStyleBytesPerPixel = 500;

    /// <summary>L-BFGS's curvature history once full: 2 × 100 pairs × 3 channels × 4 bytes per pixel (computed, <see cref="Training.Lbfgs"/>).</summary>
    public const long LbfgsBytesPerPixel = 2 * 100 * 3 * 4;

    /// <summary>Decoding an image file: the decoder's 8-bit or half-float RGBA plus float32 RGB copies.</summary>
    public const long DecodeBytesPerPixel = 30;

    /// <summary>
    /// AdaIN inference (encoder on photo and styles, the decoder on the photo), per pixel of the photo and of each
    /// style: measured 1.6 kB (random relu4_1 model, photo and style of one size; the slope of peak RSS between 256 and 512 px, 2026-12-04, CPU), rounded up.
    /// </summary>
    public const long AdaINBytesPerPixel = 1800;

    /// <summary>CAST's generator (AdaIN between its encoder and decoder B), per pixel of photo and style: measured 1.7 kB (relu4_1, as for AdaIN), rounded up.</summary>
    public const long CastBytesPerPixel = 1800;

    /// <summary>WCT, five levels coarse to fine, per pixel of photo and style: measured 2.1 kB (as for AdaIN), rounded up.</summary>
    public const long WctBytesPerPixel = 2400;

    /// <summary>SANet, per pixel of photo and style, besides the attention matrices: measured 1.4 kB (the paper's relu4_1 + relu5_1 with random weights, as for AdaIN, after taking off the attention below), rounded up.</summary>
    public const long SANetBytesPerPixel = 1600;

    /// <summary>
    /// SANet's attention holds a content-position × style-position matrix at relu4_1 (stride 8) and relu5_1 (stride 16),
    /// float32, about three copies at once (scores, softmax, its product): bytes per pair of content and style pixels.
    /// </summary>
    public const double SANetBytesPerPixelPair = 3 * 4 * (1.0 / (64 * 64) + 1.0 / (256 * 256));

    /// <summary>
    /// Deep Image Analogy, per pixel of A and of B′ (features, fields, deconvolution). Not measured: a lower bound, the
    /// VGG-19 relu1_1 features of A, A′, B and B′ held at once (4 × 64 float32 = 1 kB per pixel); the real peak is higher.
    /// </summary>
    public const long DeepAnalogyBytesPerPixel = 4 * 64 * 4;

    /// <summary>Peak of a method whose cost is linear in the pixels of the photo and of the styles.</summary>
    public static long PerPixel(long bytesPerPixel, long height, long width, IEnumerable<(long Height, long Width)> styles) =>
        Baseline + bytesPerPixel * (height * width + styles.Sum(s => s.Height * s.Width));

    /// <summary>Peak of SANet: linear in the pixels, plus the attention matrices (content × style positions).</summary>
    public static long SANet(long height, long width, IReadOnlyList<(long Height, long Width)> styles) =>
        PerPixel(SANetBytesPerPixel, height, width, styles)
        + (long)(SANetBytesPerPixelPair * height * width * styles.Select(s => s.Height * s.Width).DefaultIfEmpty(0).Max());

    /// <summary>Peak of <c>FastStyle.Stylize</c> on an image of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public static long FastStyle(long height, long width) => Baseline + FastStyleBytesPerPixel * height * width;

    /// <summary>Per content pixel of <c>Gatys.Run</c>, with or without L-BFGS's history.</summary>
    public static long GatysPerPixel(bool lbfgs) => GatysBytesPerPixel + (lbfgs ? LbfgsBytesPerPixel : 0);

    /// <summary>Peak of <c>Gatys.Run</c> with content and style of the given sizes.</summary>
    public static long Gatys(long height, long width, long styleHeight, long styleWidth, bool lbfgs) =>
        Baseline + GatysPerPixel(lbfgs) * height * width + GatysStyleBytesPerPixel * styleHeight * styleWidth;

    /// <summary>
    /// What the process holds now (its resident memory, at least <see cref="Baseline"/>): the images loaded so far,
    /// the weights, and what the allocators keep after loading a large photo, which a run adds to.
    /// </summary>
    public static long Held => Math.Max(Baseline, Environment.WorkingSet);

    /// <summary>
    /// Checks that the work <paramref name="estimate"/> stands for (a peak estimate of this class, which counts
    /// <see cref="Baseline"/>) fits in the current budget on top of what the process <see cref="Held"/> already;
    /// the refusal names <paramref name="method"/> and the size, and says the longest side that would fit at
    /// <paramref name="bytesPerPixel"/>.
    /// </summary>
    /// <exception cref="MemoryBudgetException">Over the budget.</exception>
    public static void Require(long estimate, string method, long height, long width, long bytesPerPixel)
    {
        var budget = MemoryBudget.Current;
        long peak = estimate - Baseline + Held;
        if (peak <= budget.Bytes) return;
        // Before refusing, what is held is measured again after handing freed memory back (tensors awaiting
        // finalisation, malloc's free lists after decoding a large photo), so only memory really in use counts.
        ReleaseFreedMemory();
        peak = estimate - Baseline + Held;
        if (peak <= budget.Bytes) return;
        double aspect = Math.Max(height, width) / (double)Math.Max(1, Math.Min(height, width));
        // The advice keeps a fifth of the room free: what the process holds after loading at another size differs
        // by a few hundred MB (measured: a 36 MP photo loaded at --size 1346 left more resident than at full size).
        double pixels = 0.8 * Math.Max(0, budget.Bytes - (peak - bytesPerPixel * height * width)) / bytesPerPixel;
        long side = (long)Math.Floor(Math.Sqrt(pixels * aspect));
        budget.Require(peak, $"{method} of a {width}×{height} image",
            side >= 16 ? $"At most about {side} pixels on the longest side fit (e.g. --size {side}, or resize the image first)." : null);
    }

    static void ReleaseFreedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (!OperatingSystem.IsLinux()) return;
        try { MallocTrim(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    static extern int MallocTrim(nuint pad);
}
