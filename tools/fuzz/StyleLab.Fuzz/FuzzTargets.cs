using StyleLab.Imaging;
using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Fuzz;

/// <summary>
/// Every reader a user hands a file to, as a function of the file's bytes. A target may throw only its reader's
/// own exception (<see cref="WeightFileException"/>, <see cref="ImageFileException"/>); anything else escapes the
/// harness and AFL records the input as a crash. The regression test
/// (tests/StyleLab.Tests/HostileInput/FuzzFindingTests.cs) runs the same targets over every input found.
/// </summary>
public static class FuzzTargets
{
    /// <summary>The targets by name: the name is also the corpus folder under tools/fuzz/corpus.</summary>
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>
    {
        ["safetensors"] = bytes => Dispose(SafeTensors.Load(new MemoryStream(bytes), "fuzz.safetensors", out _)),
        // One entry point for both PyTorch formats: the zip archive and the legacy pickle stream (the unpickler).
        ["pth"] = bytes => Dispose(TorchCheckpoint.Load(new MemoryStream(bytes), "fuzz.pth")),
        ["tflite"] = bytes => TfliteModel.Parse(bytes, "fuzz.tflite"),
        ["tfjs"] = Tfjs,
        ["image"] = bytes => ImageIO.Load(new MemoryStream(bytes), "fuzz.png").Dispose(),
        // The reader, then what a loader does with its tree: nn modules to a state dict (tensors materialised).
        ["t7"] = bytes => Dispose(Torch7Modules.StateDict(Torch7Reader.Load(bytes, "fuzz.t7"), "fuzz.t7")),
    };

    /// <summary>Runs <paramref name="target"/> on <paramref name="bytes"/>; false when it threw its reader's own exception.</summary>
    public static bool Run(string target, byte[] bytes)
    {
        try
        {
            All[target](bytes);
            return true;
        }
        catch (Exception e) when (e is WeightFileException or ImageFileException)
        {
            return false;
        }
    }

    /// <summary>
    /// The tfjs manifest is the fuzzed file; the shards it may name sit in a fixed folder: "a" (16 bytes: four
    /// float32), "b" (4 bytes), "empty" (0 bytes).
    /// </summary>
    static void Tfjs(byte[] manifest)
    {
        File.WriteAllBytes(Path.Combine(TfjsFolder.Value, TfjsCheckpoint.ManifestName), manifest);
        Dispose(TfjsCheckpoint.Load(TfjsFolder.Value));
    }

    static readonly Lazy<string> TfjsFolder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("stylelab-fuzz-tfjs-").FullName;
        File.WriteAllBytes(Path.Combine(folder, "a"), new byte[16]);
        File.WriteAllBytes(Path.Combine(folder, "b"), new byte[4]);
        File.WriteAllBytes(Path.Combine(folder, "empty"), []);
        return folder;
    });

    static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}
