using StyleLab.Runtime;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// The deeplearn.js checkpoint format that ml5 and fast-style-transfer-deeplearnjs publish: a folder
/// whose <c>manifest.json</c> maps each TensorFlow variable name to <c>{ "filename", "shape" }</c>, and
/// one file per variable holding its values as raw little-endian float32 in TensorFlow's layout
/// (row-major over the shape, e.g. HWIO for convolution kernels). Like safetensors it is data only.
/// </summary>
public static class TfjsCheckpoint
{
    /// <summary>The manifest's file name inside a checkpoint folder.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>A manifest lists variable names and shapes: kilobytes; anything past this is not one.</summary>
    const long MaxManifestBytes = 64L << 20;

    /// <summary>Whether <paramref name="folder"/> looks like a checkpoint (has a manifest).</summary>
    public static bool IsCheckpoint(string folder) => File.Exists(Path.Combine(folder, ManifestName));

    /// <summary>
    /// Reads every variable as a CPU float32 tensor of its manifest shape (TensorFlow layout, no
    /// conversion). A missing manifest or variable file, a malformed manifest entry, or a file whose
    /// size is not 4 bytes × the shape's element count is a <see cref="WeightFileException"/> naming
    /// the file and the variable.
    /// </summary>
    public static Dictionary<string, Tensor> Load(string folder)
    {
        var manifest = ReadManifest(folder);
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, (fileName, shape)) in manifest)
                tensors[name] = ReadVariable(folder, name, fileName, shape);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return tensors;
    }

    static Dictionary<string, (string File, long[] Shape)> ReadManifest(string folder)
    {
        string path = Path.Combine(folder, ManifestName);
        if (!Directory.Exists(folder))
            throw new WeightFileException(folder, "checkpoint folder not found.");
        if (!File.Exists(path))
            throw new WeightFileException(folder, $"not a deeplearn.js checkpoint: '{ManifestName}' is missing.");

        var manifest = RegularFile.ReadAllBytes(path, MaxManifestBytes, problem => new WeightFileException(path, problem));
        JsonObject root = StrictJson.ParseObject(manifest, path, "the manifest");
        var entries = new Dictionary<string, (string, long[])>();
        foreach (var (name, node) in root)
        {
            try
            {
                var entry = node!.AsObject();
                string file = entry["filename"]!.GetValue<string>();
                long[] shape = entry["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
                // A variable file is named by the manifest; it must stay inside the checkpoint folder.
                if (file.Length == 0 || Path.GetFileName(file) != file || !StorageData.IsRepresentable(shape))
                    throw new FormatException("bad filename or shape");
                entries[name] = (file, shape);
            }
            catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
            {
                throw new WeightFileException(path, $"variable '{name}' has a malformed manifest entry (expected {{\"filename\": …, \"shape\": [...]}}).", e);
            }
        }
        return entries;
    }

    static Tensor ReadVariable(string folder, string name, string fileName, long[] shape)
    {
        string path = Path.Combine(folder, fileName);
        if (!File.Exists(path))
            throw new WeightFileException(path, $"the file of variable '{name}' is missing.");
        if (RegularFile.NotRegular(path) is { } kind)
            throw new WeightFileException(path, $"the file of variable '{name}' is {kind}, not a regular file.");
        // In 128 bits, so that a hostile shape cannot wrap around to the file's length.
        Int128 count = shape.Aggregate((Int128)1, (a, b) => a * b);
        long length = new FileInfo(path).Length;
        if (length != count * sizeof(float))
            throw new WeightFileException(path,
                $"variable '{name}' has shape [{string.Join(",", shape)}] ({count * sizeof(float)} bytes of float32) but the file has {length} bytes" +
                (length < count * sizeof(float) ? " (truncated)." : "."));

        var tensor = torch.empty(shape, ScalarType.Float32);
        // Raw float32 is little-endian, as is every platform TorchSharp runs on.
        if (count > 0) tensor.bytes = RegularFile.ReadAllBytes(path, length, problem => new WeightFileException(path, problem));
        return tensor;
    }
}
