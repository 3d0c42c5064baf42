using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// A perceptually uniform colour scale (matplotlib's viridis or magma) as a 256-entry lookup
/// table, interpolated from a few anchor colours. Used for feature maps, Gram matrices and
/// explorer heat maps so that "brighter" always means "larger".
/// </summary>
public sealed record ColorMap
{
    /// <summary>The scale's name, for captions.</summary>
    public string Name { get; }

    /// <summary>256 RGB entries, each channel 0–255, from the low end to the high end.</summary>
    public IReadOnlyList<(byte R, byte G, byte B)> Table { get; }

    ColorMap(string name, string[] anchors)
    {
        Name = name;
        Table = Interpolate(anchors.Select(Parse).ToArray());
    }

    /// <summary>Dark blue → green → yellow; good for activations.</summary>
    public static ColorMap Viridis { get; } = new("viridis",
        ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"]);

    /// <summary>Black → purple → orange → pale yellow; good for matrices and similarity.</summary>
    public static ColorMap Magma { get; } = new("magma",
        ["#000004", "#1c1044", "#4f127b", "#812581", "#b5367a", "#e55964", "#fb8761", "#fec287", "#fcfdbf"]);

    /// <summary>
    /// Colours values in [0,1] (any shape [...]; clamped) as an RGB image [3, ...] in [0,1] on
    /// the values' device.
    /// </summary>
    public Tensor Apply(Tensor values)
    {
        using var scope = NewDisposeScope();
        var lut = torch.tensor(Table.SelectMany(c => new[] { c.R / 255f, c.G / 255f, c.B / 255f }).ToArray(),
            [256, 3], device: values.device);
        var index = (values.detach().to(ScalarType.Float32).clamp(0, 1) * 255).round().to(ScalarType.Int64);
        var rgb = lut.index_select(0, index.flatten()).view([.. index.shape, 3]);
        // Channels first, as every StyleLab image is.
        return rgb.permute([index.dim(), .. Enumerable.Range(0, (int)index.dim()).Select(i => (long)i)])
            .contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The scale as a CSS gradient towards <paramref name="direction"/> ("right", "top"), for colour bars.</summary>
    public string CssGradient(string direction = "right")
    {
        var stops = Enumerable.Range(0, 9).Select(i =>
        {
            var (r, g, b) = Table[i * 255 / 8];
            return $"#{r:x2}{g:x2}{b:x2} {(i * 12.5).ToString("0.#", CultureInfo.InvariantCulture)}%";
        });
        return $"linear-gradient(to {direction}, {string.Join(", ", stops)})";
    }

    static (byte, byte, byte)[] Interpolate((byte R, byte G, byte B)[] anchors)
    {
        var table = new (byte, byte, byte)[256];
        int segments = anchors.Length - 1;
        for (int i = 0; i < 256; i++)
        {
            double at = i / 255.0 * segments;
            int k = Math.Min((int)at, segments - 1);
            double t = at - k;
            byte Mix(byte a, byte b) => (byte)Math.Round(a + (b - a) * t);
            table[i] = (Mix(anchors[k].R, anchors[k + 1].R), Mix(anchors[k].G, anchors[k + 1].G), Mix(anchors[k].B, anchors[k + 1].B));
        }
        return table;
    }

    static (byte R, byte G, byte B) Parse(string hex) => (
        byte.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber),
        byte.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber),
        byte.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber));
}
