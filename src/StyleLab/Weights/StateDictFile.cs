using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>Reads a state dict from any supported weight format, chosen by the file's content.</summary>
public static class StateDictFile
{
    /// <summary>Loads every tensor; <paramref name="metadata"/> is the file's string metadata, if the format has any.</summary>
    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        if (!File.Exists(path)) throw new WeightFileException(path, "file not found.");
        metadata = new Dictionary<string, string>();
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".safetensors" => SafeTensors.Load(path, out metadata),
            _ => throw new WeightFileException(path, $"unsupported weight format '{Path.GetExtension(path)}' (expected .safetensors, .pth or .pt)."),
        };
    }
}
