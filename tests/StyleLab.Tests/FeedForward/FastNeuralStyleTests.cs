using StyleLab.Methods.FeedForward;
using StyleLab.Tests.Weights.Torch7;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.FeedForward;

/// <summary>
/// Johnson et al.'s own Lua Torch checkpoints (jcjohnson/fast-neural-style) stylise as the Lua network does: the
/// golden outputs come from the network rebuilt in PyTorch from the Lua sources
/// (<c>tools/fixtures/make_fast_neural_style_golden.py</c>), the <c>.t7</c> files from <see cref="FastNeuralStyleTree"/>.
/// </summary>
public sealed class FastNeuralStyleTests : IDisposable
{
    const string Arch = "c9s1-4,d8,d8,R8,R8,u8,u4,c9s1-3";

    // Outputs on [0,1] against a float64 reference: measured 2.0e-6 (instance norm) and 6e-8 (batch norm) in
    // float32; a wrong ε (1e-3 for 1e-5) alone moves the output by 8e-3.
    const double Tolerance = 1e-5;

    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-fns-").FullName;
    readonly Dictionary<string, Tensor> _golden = SafeTensors.Load(TestPaths.Fixture("feedforward", "fast_neural_style_golden.safetensors"));

    public void Dispose()
    {
        foreach (var t in _golden.Values) t.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    Dictionary<string, Tensor> Weights(string model) =>
        _golden.Where(p => p.Key.StartsWith(model + ".", StringComparison.Ordinal) && p.Key != model + ".output")
            .ToDictionary(p => p.Key[(model.Length + 1)..], p => p.Value);

    string Save(object tree, string name)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, Torch7Writer.Serialise(tree));
        return path;
    }

    static double MaxDifference(Tensor a, Tensor b)
    {
        using var d = (a - b).abs().max();
        return d.item<float>();
    }

    [Fact]
    public void An_instance_norm_checkpoint_stylises_a_batch_as_the_Lua_network_does()
    {
        string path = Save(FastNeuralStyleTree.Checkpoint(Arch, instanceNorm: true, Weights("instance")), "candy.t7");
        using var style = FastStyle.Load(path);
        using var _ = no_grad();
        using var output = style.Network.forward(_golden["input"]);
        Assert.Equal("candy", style.Name);
        Assert.Equal(_golden["instance.output"].shape, output.shape);
        Assert.InRange(MaxDifference(output, _golden["instance.output"]), 0, Tolerance);
        // Stylize is the network's output clamped to the image range.
        using var stylised = style.Stylize(_golden["input"]);
        using var clamped = _golden["instance.output"].clamp(0, 1);
        Assert.InRange(MaxDifference(stylised, clamped), 0, Tolerance);
    }

    [Fact]
    public void A_batch_norm_model_saved_bare_with_cudnn_modules_runs_with_its_running_statistics()
    {
        // scripts/convert_network.lua saves the model without the checkpoint table; cudnn modules keep nn's fields.
        string path = Save(FastNeuralStyleTree.Model(Arch, instanceNorm: false, Weights("batch"), cudnn: true), "starry_night.t7");
        using var style = FastStyle.Load(path);
        using var _ = no_grad();
        using var output = style.Network.forward(_golden["input"]);
        Assert.InRange(MaxDifference(output, _golden["batch.output"]), 0, Tolerance);
    }

    [Fact]
    public void The_network_keeps_the_keys_of_the_Lua_module_positions()
    {
        string path = Save(FastNeuralStyleTree.Checkpoint(Arch, instanceNorm: false, Weights("batch")), "m.t7");
        using var net = FastNeuralStyleNet.Load(path);
        var own = net.state_dict().Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal))
            .Select(k => k["model.".Length..]).Order(StringComparer.Ordinal);
        Assert.Equal(Weights("batch").Keys.Order(StringComparer.Ordinal), own);
        Assert.Equal("vgg", net.Preprocessing);
    }

    [Fact]
    public void Photos_whose_sides_are_not_multiples_of_four_come_back_at_their_own_size()
    {
        string path = Save(FastNeuralStyleTree.Checkpoint(Arch, instanceNorm: true, Weights("instance")), "m.t7");
        using var style = FastStyle.Load(path);
        using var photo = _golden["input"][.., .., ..27, ..35];
        using var stylised = style.Stylize(photo);
        Assert.Equal(new long[] { 2, 3, 27, 35 }, stylised.shape);
        using var min = stylised.min();
        using var max = stylised.max();
        Assert.True(min.item<float>() >= 0 && max.item<float>() <= 1);
    }

    [Fact]
    public void A_module_StyleLab_cannot_run_is_refused_naming_the_file_and_the_module()
    {
        var weights = Weights("instance");
        var tree = NnTree.Sequential([
            NnTree.Convolution(weights["1.weight"], weights["1.bias"], pad: 4),
            NnTree.Module("nn.SpatialDilatedConvolution", [("nInputPlane", 4.0), ("nOutputPlane", 4.0)]),
        ]);
        string path = Save(tree, "dilated.t7");
        var e = Assert.Throws<WeightFileException>(() => FastStyle.Load(path));
        Assert.Contains("dilated.t7", e.Message);
        Assert.Contains("nn.SpatialDilatedConvolution", e.Message);
    }

    [Fact]
    public void A_concat_table_not_summed_by_CAddTable_is_refused()
    {
        var weights = Weights("instance");
        var tree = NnTree.Sequential([NnTree.ConcatTable(NnTree.Convolution(weights["1.weight"], weights["1.bias"], pad: 4), NnTree.Identity())]);
        string path = Save(tree, "concat.t7");
        var e = Assert.Throws<WeightFileException>(() => FastNeuralStyleNet.Load(path));
        Assert.Contains("nn.ConcatTable", e.Message);
        Assert.Contains("nn.CAddTable", e.Message);
    }
}
