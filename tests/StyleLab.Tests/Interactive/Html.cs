using System.Buffers.Binary;
using System.Text.RegularExpressions;

namespace StyleLab.Tests.Interactive;

/// <summary>Reads back what the formatters wrote: the PNGs inside data URIs.</summary>
static partial class Html
{
    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex PngDataUri();

    /// <summary>Width and height of every inline PNG, in order.</summary>
    public static IReadOnlyList<(int Width, int Height)> PngSizes(string html) =>
        PngDataUri().Matches(html).Select(m =>
        {
            var png = Convert.FromBase64String(m.Groups[1].Value);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            // The IHDR chunk comes first: width and height, big-endian, at bytes 16 and 20.
            return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        }).ToList();

    public static int Count(string html, string fragment) =>
        Regex.Matches(html, Regex.Escape(fragment)).Count;
}
