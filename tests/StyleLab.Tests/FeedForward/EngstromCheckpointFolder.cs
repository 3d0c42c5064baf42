using System.Text.Json.Nodes;
using StyleLab.Methods.FeedForward;
using static TorchSharp.torch;

namespace StyleLab.Tests.FeedForward;

/// <summary>
/// Writes a <see cref="TransformNet"/> as an ml5 / deeplearn.js checkpoint (TF layouts, Engstrom's
/// variable order), so the loader's error paths can be tested without ../shared.
/// </summary>
sealed class EngstromCheckpointFolder : IDisposable
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"stylelab-ckpt-{Guid.NewGuid():N}");

    public EngstromCheckpointFolder(TransformNet net)
    {
        Directory.CreateDirectory(Folder);
        var manifest = new JsonObject();
        int id = 0;
        foreach (var (_, kernel, norm) in net.LayersInCreationOrder())
        {
            // Inverse of the loader's permute(3, 2, 0, 1): PyTorch [a, b, h, w] → TF [h, w, b, a].
            Write(manifest, id, kernel.permute(2, 3, 1, 0));
            Write(manifest, id + 1, norm.bias!);
            Write(manifest, id + 2, norm.weight!);
            id += 3;
        }
        WriteManifest(manifest);
    }

    public string VariablePath(int id) => Path.Combine(Folder, EngstromVariables.Name(id));

    public string ManifestPath => Path.Combine(Folder, "manifest.json");

    public JsonObject ReadManifest() => JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();

    public void WriteManifest(JsonObject manifest) => File.WriteAllText(ManifestPath, manifest.ToJsonString());

    void Write(JsonObject manifest, int id, Tensor value)
    {
        string name = EngstromVariables.Name(id);
        using var data = value.detach().contiguous();
        File.WriteAllBytes(Path.Combine(Folder, name), data.bytes.ToArray());
        manifest[name] = new JsonObject { ["filename"] = name, ["shape"] = new JsonArray(value.shape.Select(d => (JsonNode)d).ToArray()) };
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
