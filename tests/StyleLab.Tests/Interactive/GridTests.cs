using StyleLab.Interactive;
using static TorchSharp.torch;

namespace StyleLab.Tests.Interactive;

public class GridTests
{
    [Fact]
    public void An_image_grid_shows_every_image_with_its_caption()
    {
        using var a = rand(1, 3, 32, 48);
        using var b = rand(1, 3, 32, 32);
        string html = ImageGrid.Of(("content", a), ("style <Starry>", b)).ToHtml();
        Assert.Equal(2, Html.PngSizes(html).Count);
        Assert.Contains(">content</figcaption>", html);
        Assert.Contains(">style &lt;Starry&gt;</figcaption>", html);
    }

    [Fact]
    public void A_feature_map_grid_shows_the_most_active_channels_first()
    {
        // Channel c is the constant c, except channels 2 and 5, made the most active.
        var values = Enumerable.Range(0, 8).Select(c => c == 5 ? 100f : c == 2 ? 50f : c).ToArray();
        using var features = tensor(values).view(1, 8, 1, 1).expand(1, 8, 6, 6).contiguous();
        var grid = FeatureMapGrid.Of(features, "relu2_1", count: 3);
        Assert.Equal([5, 2, 7], grid.Channels.Select(c => c.Channel));
        string html = grid.ToHtml();
        Assert.Equal(3, Html.PngSizes(html).Count);
        Assert.Contains("#5 ·", html);
        Assert.DoesNotContain("#0 ·", html);
        Assert.Contains("viridis", html);
    }

    [Fact]
    public void A_gram_heatmap_shows_the_chosen_channels_with_a_colour_bar()
    {
        using var gram = rand(1, 16, 16);
        string html = GramHeatmap.Of(gram, "relu1_1", channels: 8).ToHtml();
        Assert.Equal([(8, 8)], Html.PngSizes(html));
        Assert.Contains("linear-gradient(to top", html);
        Assert.Contains("8×8", System.Net.WebUtility.HtmlDecode(html));
    }

    [Fact]
    public void Colour_maps_run_from_dark_to_bright()
    {
        using var ramp = tensor(new float[] { 0, 1 });
        using var rgb = ColorMap.Viridis.Apply(ramp);
        Assert.Equal(new long[] { 3, 2 }, rgb.shape);
        Assert.True(rgb[.., 0].sum().item<float>() < rgb[.., 1].sum().item<float>());
    }
}
