using System.Net;

namespace StyleLab.Interactive;

/// <summary>The legend that says what a colour scale's ends mean.</summary>
static class ColorBar
{
    /// <summary>A horizontal bar with a label under each end.</summary>
    public static string Horizontal(ColorMap map, string low, string high, int width = 200) =>
        $"<div style=\"display:inline-block;font:11px sans-serif;margin:4px 0\">" +
        $"<div style=\"width:{width}px;height:10px;background:{map.CssGradient("right")}\"></div>" +
        $"<div style=\"display:flex;justify-content:space-between;width:{width}px\"><span>{WebUtility.HtmlEncode(low)}</span>" +
        $"<span>{map.Name}</span><span>{WebUtility.HtmlEncode(high)}</span></div></div>";

    /// <summary>A vertical bar of <paramref name="height"/> pixels, high end on top.</summary>
    public static string Vertical(ColorMap map, string low, string high, int height) =>
        $"<div style=\"display:flex;gap:4px;font:11px sans-serif;height:{height}px\">" +
        $"<div style=\"width:12px;background:{map.CssGradient("top")}\"></div>" +
        $"<div style=\"display:flex;flex-direction:column;justify-content:space-between\"><span>{WebUtility.HtmlEncode(high)}</span>" +
        $"<span>{WebUtility.HtmlEncode(low)}</span></div></div>";
}
