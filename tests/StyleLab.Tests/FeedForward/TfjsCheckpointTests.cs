using System.Text.Json.Nodes;
using StyleLab.Methods.FeedForward;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.FeedForward;

/// <summary>The deeplearn.js checkpoint reader and the Engstrom variable mapping, on checkpoints written here.</summary>
public class TfjsCheckpointTests
{
    static TransformNet RandomNet()
    {
        torch.random.manual_seed(7);
        var net = new TransformNet();
        using (no_grad())
            foreach (var p in net.parameters()) p.copy_(torch.randn_like(p) * 0.1 + (p.dim() == 1 ? 1 : 0));
        net.eval();
        return net;
    }

    [Fact]
    public void Reads_raw_float32_in_the_manifest_shape()
    {
        using var folder = new EngstromCheckpointFolder(RandomNet());
        var variables = TfjsCheckpoint.Load(folder.Folder);
        Assert.Equal(48, variables.Count);
        Assert.Equal(new long[] { 9, 9, 3, 32 }, variables["Variable"].shape);
        Assert.Equal(new long[] { 3, 3, 64, 128 }, variables["Variable_39"].shape);   // conv-transpose: H·W·out·in
        Assert.Equal(ScalarType.Float32, variables["Variable_47"].dtype);
    }

    [Fact]
    public void A_network_written_in_TF_layout_loads_back_to_the_same_function()
    {
        using var net = RandomNet();
        using var folder = new EngstromCheckpointFolder(net);
        using var loaded = TransformNet.LoadTfjsCheckpoint(folder.Folder);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var image = torch.rand(2, 3, 20, 24);
        Assert.True(net.forward(image).allclose(loaded.forward(image), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Missing_manifest_names_the_folder()
    {
        using var folder = new EngstromCheckpointFolder(RandomNet());
        File.Delete(folder.ManifestPath);
        var e = Assert.Throws<WeightFileException>(() => TfjsCheckpoint.Load(folder.Folder));
        Assert.Equal(folder.Folder, e.FilePath);
        Assert.Contains("manifest.json", e.Message);
    }

    [Fact]
    public void Missing_variable_file_names_the_file_and_variable()
    {
        using var folder = new EngstromCheckpointFolder(RandomNet());
        File.Delete(folder.VariablePath(12));
        var e = Assert.Throws<WeightFileException>(() => TransformNet.LoadTfjsCheckpoint(folder.Folder));
        Assert.Equal(folder.VariablePath(12), e.FilePath);
        Assert.Contains("'Variable_12'", e.Message);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Variable_missing_from_the_manifest_names_it_and_its_role()
    {
        using var folder = new EngstromCheckpointFolder(RandomNet());
        var manifest = folder.ReadManifest();
        manifest.Remove("Variable_41");
        folder.WriteManifest(manifest);
        var e = Assert.Throws<WeightFileException>(() => TransformNet.LoadTfjsCheckpoint(folder.Folder));
        Assert.Contains("'Variable_41' (upsample1 instance-norm scale γ) is missing", e.Message);
    }

    [Fact]
    public void Truncated_variable_file_names_the_sizes()
    {
        using var folder = new EngstromCheckpointFolder(RandomNet());
        var bytes = File.ReadAllBytes(folder.VariablePath(3));
        File.WriteAllBytes(folder.VariablePath(3), bytes[..^10]);
        var e = Assert.Throws<WeightFileException>(() => TfjsCheckpoint.Load(folder.Folder));
        Assert.Equal(folder.VariablePath(3), e.FilePath);
        Assert.Contains("'Variable_3' has shape [3,3,32,64] (73728 bytes of float32) but the file has 73718 bytes (truncated)", e.Message);
    }

    [Fact]
    public void Wrong_shape_for_the_network_names_the_variable_and_the_expected_shape()
    {
        using var folder = new EngstromCheckpointFolder(RandomNet());
        // A consistent file of the wrong width: 48 output channels where conv2 has 64.
        var manifest = folder.ReadManifest();
        manifest["Variable_3"]!["shape"] = new JsonArray(3, 3, 32, 48);
        folder.WriteManifest(manifest);
        File.WriteAllBytes(folder.VariablePath(3), new byte[3 * 3 * 32 * 48 * 4]);
        var e = Assert.Throws<WeightFileException>(() => TransformNet.LoadTfjsCheckpoint(folder.Folder));
        Assert.Contains("'Variable_3' (conv2 kernel) has shape [3,3,32,48] but the transformation network expects [3,3,32,64]", e.Message);
    }

    [Fact]
    public void Malformed_manifest_entry_is_a_named_error()
    {
        using var folder = new EngstromCheckpointFolder(RandomNet());
        var manifest = folder.ReadManifest();
        manifest["Variable_5"] = new JsonObject { ["filename"] = "../../etc/passwd", ["shape"] = new JsonArray(64) };
        folder.WriteManifest(manifest);
        var e = Assert.Throws<WeightFileException>(() => TfjsCheckpoint.Load(folder.Folder));
        Assert.Contains("'Variable_5' has a malformed manifest entry", e.Message);
    }

    [Fact]
    public void Extra_variables_mean_another_network()
    {
        using var folder = new EngstromCheckpointFolder(RandomNet());
        var manifest = folder.ReadManifest();
        manifest["Variable_48"] = new JsonObject { ["filename"] = "Variable_47", ["shape"] = new JsonArray(3) };
        folder.WriteManifest(manifest);
        var e = Assert.Throws<WeightFileException>(() => TransformNet.LoadTfjsCheckpoint(folder.Folder));
        Assert.Contains("49 variables but the transformation network uses 48", e.Message);
    }
}
