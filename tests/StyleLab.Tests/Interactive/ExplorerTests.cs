using System.Text.Json;
using StyleLab.Encoders;
using StyleLab.Interactive;
using static TorchSharp.torch;

namespace StyleLab.Tests.Interactive;

public class ExplorerTests
{
    [Fact]
    public void An_explorer_embeds_its_payload_and_script_and_nothing_external()
    {
        var explorer = new HtmlExplorer("demo", "<div data-part=\"out\"></div>",
            "function (root, data, lib) { lib.part('out').textContent = lib.unpack(data.values).length; }",
            new Dictionary<string, object?> { ["values"] = PackedArray.Float32([1f, 2f, 3f]), ["note"] = "</script><b>" });
        string html = explorer.ToHtml();

        Assert.Contains(explorer.Id, html);
        Assert.Contains(Convert.ToBase64String(new byte[] { 0, 0, 0x80, 0x3f }).TrimEnd('=')[..4], html);
        Assert.DoesNotContain("http:", html);
        Assert.DoesNotContain("https:", html);
        // The payload cannot close its own script element early.
        Assert.Equal(2, Html.Count(html, "</script>"));
        var payload = JsonDocument.Parse(explorer.PayloadJson).RootElement;
        Assert.Equal("float32", payload.GetProperty("values").GetProperty("dType").GetString());
    }

    [Fact]
    public void Each_explorer_has_its_own_element_id()
    {
        var a = new HtmlExplorer("demo", "", "function () {}", new Dictionary<string, object?>());
        var b = new HtmlExplorer("demo", "", "function () {}", new Dictionary<string, object?>());
        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public void Packed_int8_values_round_trip_within_one_step()
    {
        var packed = PackedArray.Int8([-1f, -0.5f, 0f, 0.25f, 1f], 1f, 5);
        var bytes = Convert.FromBase64String(packed.Base64).Select(b => (sbyte)b * packed.Scale).ToArray();
        Assert.All(bytes.Zip([-1f, -0.5f, 0f, 0.25f, 1f]), p => Assert.Equal(p.Second, p.First, 1.0 / 127));
    }

    [Fact]
    public void The_feature_explorer_embeds_both_images_and_unit_features_on_a_grid()
    {
        using var encoder = Vgg19Encoder.Random();
        using var content = rand(1, 3, 64, 48);
        using var style = rand(1, 3, 40, 40);
        var explorer = FeatureExplorer.Create(encoder, content, style, "relu2_1", grid: 8);
        string html = explorer.ToHtml();

        Assert.Equal(2, Html.PngSizes(html).Count);
        Assert.DoesNotContain("http:", html);
        Assert.DoesNotContain("https:", html);
        Assert.Contains("data-part=\"style-heat\"", html);

        var payload = JsonDocument.Parse(explorer.PayloadJson).RootElement;
        Assert.Equal(128, payload.GetProperty("channels").GetInt32());
        var contentGrid = payload.GetProperty("content");
        Assert.Equal((6, 8), (contentGrid.GetProperty("cols").GetInt32(), contentGrid.GetProperty("rows").GetInt32()));
        var features = Convert.FromBase64String(contentGrid.GetProperty("features").GetProperty("base64").GetString()!);
        Assert.Equal(6 * 8 * 128, features.Length);
        // Unit vectors: the squared int8 components of one position sum to about 127².
        double norm = features.Take(128).Sum(b => (double)(sbyte)b * (sbyte)b);
        Assert.InRange(Math.Sqrt(norm), 120, 134);
    }
}
