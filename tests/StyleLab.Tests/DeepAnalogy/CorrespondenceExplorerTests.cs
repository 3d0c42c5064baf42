using System.Text.Json;
using StyleLab.Interactive;
using StyleLab.Methods.DeepAnalogy;
using StyleLab.Tests.Interactive;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.DeepAnalogy;

public class CorrespondenceExplorerTests
{
    [Fact]
    public void The_explorer_embeds_both_images_both_fields_and_nothing_external()
    {
        using var left = rand(1, 3, 30, 40);
        using var right = rand(1, 3, 20, 24);
        using var generator = new Generator(1);
        using var leftToRight = Nnf.Random(30, 40, 20, 24, generator);
        using var rightToLeft = Nnf.Random(20, 24, 30, 40, generator);
        var explorer = CorrespondenceExplorer.Create(left, right, leftToRight, rightToLeft, grid: 16);
        string html = explorer.ToHtml();

        Assert.Equal(4, Html.PngSizes(html).Count);   // two images, two field colour maps
        Assert.DoesNotContain("http:", html);
        Assert.DoesNotContain("https:", html);
        var payload = JsonDocument.Parse(explorer.PayloadJson).RootElement;
        var l = payload.GetProperty("left");
        Assert.Equal(16, l.GetProperty("cols").GetInt32());
        Assert.Equal(12, l.GetProperty("rows").GetInt32());
        Assert.Equal(24, l.GetProperty("targetWidth").GetInt32());

        // The first cell is pixel (0, 0): its match, stored as (x, y).
        var match = Convert.FromBase64String(l.GetProperty("match").GetProperty("base64").GetString()!);
        var first = leftToRight.Coordinates[0, 0];
        Assert.Equal(first[1].item<long>(), (long)BitConverter.ToSingle(match, 0));
        Assert.Equal(first[0].item<long>(), (long)BitConverter.ToSingle(match, 4));
    }
}
