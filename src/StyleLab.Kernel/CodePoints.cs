using System.Text;

namespace StyleLab.Kernel;

/// <summary>
/// Jupyter counts cursor positions in Unicode code points; .NET strings count UTF-16 units.
/// The two differ only after an astral character (an emoji in a comment, say).
/// </summary>
internal static class CodePoints
{
    /// <summary>The UTF-16 index of code point <paramref name="codePoint"/> in <paramref name="text"/>.</summary>
    public static int ToUtf16(string text, int codePoint)
    {
        int index = 0;
        for (int n = 0; n < codePoint && index < text.Length; n++)
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length ? 2 : 1;
        return Math.Min(index, text.Length);
    }

    /// <summary>The code point count before UTF-16 index <paramref name="index"/>.</summary>
    public static int FromUtf16(string text, int index)
    {
        int count = 0;
        foreach (var _ in text.AsSpan(0, Math.Clamp(index, 0, text.Length)).EnumerateRunes()) count++;
        return count;
    }
}
