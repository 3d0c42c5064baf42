namespace StyleLab.Imaging;

/// <summary>
/// How big an image should become: <see cref="None"/>, <see cref="LongestSide"/> or
/// <see cref="Exact"/>. Used by <see cref="ImageLoadOptions.Size"/> and <see cref="Resampling.Resize(TorchSharp.torch.Tensor, Resize)"/>.
/// </summary>
public abstract record Resize
{
    Resize() { }

    /// <summary>Keep the image's own size.</summary>
    public static Resize None { get; } = new Unchanged();

    /// <summary>
    /// Scale (up or down) so the longer side has <paramref name="pixels"/> pixels, keeping the
    /// aspect ratio; the shorter side is rounded to the nearest pixel. This is the
    /// "image size 512" of style-transfer papers.
    /// </summary>
    public static Resize LongestSide(int pixels) => new ToLongestSide(Positive(pixels, nameof(pixels)));

    /// <summary>Scale to exactly <paramref name="width"/> × <paramref name="height"/>, ignoring the aspect ratio.</summary>
    public static Resize Exact(int width, int height) =>
        new ToExact(Positive(width, nameof(width)), Positive(height, nameof(height)));

    /// <summary>The size an image of <paramref name="width"/> × <paramref name="height"/> becomes.</summary>
    public abstract (int Width, int Height) TargetSize(int width, int height);

    /// <summary>See <see cref="None"/>.</summary>
    public sealed record Unchanged : Resize
    {
        /// <inheritdoc/>
        public override (int Width, int Height) TargetSize(int width, int height) => (width, height);
        /// <inheritdoc/>
        public override string ToString() => "original size";
    }

    /// <summary>See <see cref="LongestSide"/>.</summary>
    public sealed record ToLongestSide(int Pixels) : Resize
    {
        /// <inheritdoc/>
        public override (int Width, int Height) TargetSize(int width, int height)
        {
            double scale = (double)Pixels / Math.Max(width, height);
            return width >= height
                ? (Pixels, Math.Max(1, (int)Math.Round(height * scale)))
                : (Math.Max(1, (int)Math.Round(width * scale)), Pixels);
        }
        /// <inheritdoc/>
        public override string ToString() => $"longest side {Pixels}";
    }

    /// <summary>See <see cref="Exact"/>.</summary>
    public sealed record ToExact(int Width, int Height) : Resize
    {
        /// <inheritdoc/>
        public override (int Width, int Height) TargetSize(int width, int height) => (Width, Height);
        /// <inheritdoc/>
        public override string ToString() => $"{Width}×{Height}";
    }

    /// <summary>
    /// The longest side StyleLab resizes to: 16384 pixels, a 268-megapixel square, far past what any method here
    /// can process in memory; a larger request is a typo or an attack, not a picture.
    /// </summary>
    public const int MaxSide = 16384;

    static int Positive(int value, string name) => value is > 0 and <= MaxSide ? value
        : throw new ArgumentOutOfRangeException(name, value, $"An image side must be between 1 and {MaxSide} pixels, not {value}.");
}
