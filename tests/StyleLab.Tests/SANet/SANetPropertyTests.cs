using StyleLab.Methods.SANet;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.SANet;

public class SANetPropertyTests
{
    [Fact]
    public void Every_attention_row_is_a_distribution_over_the_style_positions()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(3);
        using var sanet = new SANetModule(16);
        var (_, attention) = sanet.Attend(randn(2, 16, 5, 7), randn(2, 16, 4, 3) * 4);
        Assert.Equal(new long[] { 2, 35, 12 }, attention.shape);
        Assert.True((attention >= 0).all().item<bool>());
        Assert.True(allclose(attention.sum(-1), ones(2, 35), 1e-5, 1e-5));
    }

    [Fact]
    public void With_the_output_conv_zeroed_the_module_returns_the_content_features()
    {
        using var scope = NewDisposeScope();
        using var sanet = new SANetModule(8);
        using (no_grad())
            foreach (var (key, t) in sanet.state_dict().Where(kv => kv.Key.StartsWith("out_conv."))) t.zero_();
        var content = randn(1, 8, 6, 5);
        var output = sanet.forward(content, randn(1, 8, 3, 9));
        Assert.True(output.equal(content).all().item<bool>());
        // …and it does not without zeroing: the attended style really enters.
        using var other = new SANetModule(8);
        Assert.False(allclose(other.forward(content, randn(1, 8, 3, 9)), content, 1e-3, 1e-3), "the attended style enters");
    }

    [Fact]
    public void The_transform_has_the_official_keys_and_merges_odd_sizes()
    {
        using var scope = NewDisposeScope();
        using var transform = new SANetTransform(SANetLayers.Shallow3);
        var keys = transform.state_dict().Keys.ToList();
        foreach (var net in new[] { "sanet4_1", "sanet5_1" })
            foreach (var conv in new[] { "f", "g", "h", "out_conv" })
                Assert.Contains($"{net}.{conv}.weight", keys);
        Assert.Contains("merge_conv.weight", keys);
        Assert.Equal(18, keys.Count);
        // relu3_1 of a 7-row image has 7 rows; ceil-mode pool3 has 4, up-sampled to 8 and cropped.
        var output = transform.Forward(randn(1, 256, 7, 6), randn(1, 256, 5, 5), randn(1, 256, 4, 3), randn(1, 256, 3, 3));
        Assert.Equal(new long[] { 1, 256, 7, 6 }, output.shape);
    }

    [Fact]
    public void Attention_maps_answer_points_regions_and_top_k_consistently()
    {
        using var scope = NewDisposeScope();
        using var model = SANetModel.Random(SANetLayers.Shallow3, seed: 1);
        var content = rand(1, 3, 32, 40);
        var style = rand(1, 3, 24, 24);
        using var attention = model.Attention(content, style);
        var map = attention.Shallow;
        Assert.Equal(("relu3_1", 8, 10, 6, 6), (map.Layer, map.ContentRows, map.ContentColumns, map.StyleRows, map.StyleColumns));
        Assert.Equal(("pool3", 4, 5), (attention.Deep.Layer, attention.Deep.ContentRows, attention.Deep.ContentColumns));
        var at = map.At(3, 2);
        Assert.Equal(1.0, at.sum().item<float>(), 4);
        Assert.True(allclose(map.Region(3, 2, 1, 1), at, 1e-6, 1e-6), "a one-cell region is that cell's row");
        var region = map.Region(0, 0, 10, 8);
        Assert.True(allclose(region, (map.Weights.sum(dim: 0) / map.Weights.shape[0]).reshape(6, 6), 1e-5, 1e-6), "the whole image is the mean row");
        var top = map.TopK(3, 2, 4);
        Assert.Equal(4, top.Count);
        Assert.Equal(at.max().item<float>(), top[0].Weight, 6);
        Assert.True(top.Zip(top.Skip(1)).All(p => p.First.Weight >= p.Second.Weight));
        Assert.Equal(at[top[0].Y, top[0].X].item<float>(), top[0].Weight, 6);
        var patches = map.Patches(style, top);
        Assert.Equal(new long[] { 4, 3, 8, 8 }, patches.shape);
        Assert.Equal((1, 0), map.CellAtPixel(5, 3));
    }

    [Fact]
    public void Alpha_zero_is_the_content_with_itself_and_interpolation_and_masks_reduce_to_one_style()
    {
        using var scope = NewDisposeScope();
        using var model = SANetModel.Random(SANetLayers.Shallow3, seed: 2);
        var content = rand(1, 3, 32, 32);
        var a = rand(1, 3, 32, 32);
        var b = rand(1, 3, 24, 40);
        var onlyA = model.Stylize(content, a);
        Assert.Equal(content.shape, onlyA.shape);
        Assert.True(allclose(model.Stylize(content, [a, b], [1.0, 0.0]), onlyA, 1e-5, 1e-5));
        Assert.True(allclose(model.Stylize(content, [a, b], [ones(32, 32), zeros(32, 32)]), onlyA, 1e-5, 1e-5));
        Assert.True(allclose(model.Stylize(content, content, new SANetOptions(Alpha: 1)),
                             model.Stylize(content, b, new SANetOptions(Alpha: 0)), 1e-5, 1e-5));
        Assert.True(allclose(model.Stylize(content, [a, b], [0.0, 2.0]), model.Stylize(content, b), 1e-5, 1e-5));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Stylize(content, a, new SANetOptions(Alpha: 1.5)));
    }

    [Fact]
    public void Memory_stays_flat_over_many_calls()
    {
        using var model = SANetModel.Random(SANetLayers.Shallow3, seed: 4);
        using var content = rand(1, 3, 16, 16);
        using var style = rand(1, 3, 16, 16);
        for (int i = 0; i < 3; i++) model.Stylize(content, style).Dispose();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++)
        {
            model.Stylize(content, style).Dispose();
            model.Attention(content, style).Dispose();
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
