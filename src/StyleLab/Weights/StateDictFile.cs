using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>Reads a state dict from any supported weight format, recognised by the file's first bytes.</summary>
public static class StateDictFile
{
    /// <summary>Loads every tensor; <paramref name="metadata"/> is the file's string metadata, if the format has any.</summary>
    /// <exception cref="WeightFileException">Not a weight file, unreadable, or a tensor holds NaN or ∞.</exception>
    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        metadata = new Dictionary<string, string>();
        var tensors = Detect(path) switch
        {
            WeightFormat.SafeTensors => SafeTensors.Load(path, out metadata),
            WeightFormat.Pth or WeightFormat.PthLegacy => TorchCheckpoint.Load(path),
            WeightFormat.T7 => Torch7Modules.Load(path),
            _ => throw new WeightFileException(path,
                "not a weight file StyleLab reads: expected safetensors, a PyTorch .pth/.pt (zip archive or legacy pickle) or a Lua Torch .t7 module."),
        };
        try
        {
            NonFiniteValues.ThrowIfAny(tensors, path);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return tensors;
    }

    /// <summary>Loads every tensor, ignoring metadata.</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    /// <summary>Recognises the format from the content, not the extension: weight files are often renamed (a Lua Torch file is a table, object or function tag with reference 1).</summary>
    /// <returns>The format, or null when the file is none of the state-dict formats.</returns>
    public static WeightFormat? Detect(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new WeightFileException(path, "file not found.");
        Span<byte> head = stackalloc byte[9];
        using (var stream = RegularFile.OpenRead(path, problem => new WeightFileException(path, problem)))
        {
            int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            if (n == 0) throw new WeightFileException(path, "the file is empty (0 bytes).");
            head = head[..n];
        }
        if (head.Length >= 2 && head[0] == (byte)'P' && head[1] == (byte)'K') return WeightFormat.Pth;       // zip
        if (head[0] == 0x80) return WeightFormat.PthLegacy;                                                      // pickle PROTO
        if (Torch7Reader.LooksLikeTorch7(head)) return WeightFormat.T7;                                          // table/object, reference 1
        // safetensors: an 8-byte little-endian header length, then the JSON header's '{'.
        if (head.Length == 9 && head[8] == (byte)'{') return WeightFormat.SafeTensors;
        return null;
    }
}
