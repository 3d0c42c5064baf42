using Microsoft.DotNet.Interactive.Formatting;
using StyleLab.Interactive;
using static TorchSharp.torch;

namespace StyleLab.Tests.Interactive;

public class ImageFormatterTests
{
    public ImageFormatterTests() => StyleLabFormatters.Register();

    [Fact]
    public void An_image_tensor_shows_as_an_inline_png_of_its_own_size()
    {
        using var image = rand(1, 3, 40, 60);
        string html = Formatter.ToDisplayString(image, "text/html");
        Assert.StartsWith("<img src=\"data:image/png;base64,", html);
        Assert.Equal([(60, 40)], Html.PngSizes(html));
    }

    [Fact]
    public void A_large_image_is_downscaled_for_display_keeping_its_aspect()
    {
        using var image = rand(3, 200, 1600);
        string html = Formatter.ToDisplayString(image, "text/html");
        Assert.Equal([(InlineImage.DefaultMaxSide, 96)], Html.PngSizes(html));
    }

    [Fact]
    public void A_batch_shows_as_a_row_of_images()
    {
        using var batch = rand(3, 3, 16, 16);
        string html = Formatter.ToDisplayString(batch, "text/html");
        Assert.Equal(3, Html.PngSizes(html).Count);
        Assert.Contains("[2]", html);
    }

    [Fact]
    public void Other_tensors_show_a_summary_not_their_values()
    {
        using var values = arange(0, 10_000, dtype: ScalarType.Float32).view(100, 100);
        string html = Formatter.ToDisplayString(values, "text/html");
        string text = Formatter.ToDisplayString(values, "text/plain");
        Assert.DoesNotContain("<img", html);
        Assert.Contains("[100,100]", text);
        Assert.Contains("max 9999", text);
        Assert.Contains("mean 5000", text);
        Assert.True(text.Length < 200, text);
    }

    [Fact]
    public void Registering_twice_registers_once()
    {
        StyleLabFormatters.Register();
        StyleLabFormatters.Register();
        Assert.Single(Formatter.RegisteredFormatters(false), f => f.Type == typeof(ImageGrid) && f.MimeType == "text/html");
    }
}
