using StyleLab.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// Reads PyTorch <c>.pth</c> / <c>.pt</c> state dicts without Python and without running any
/// code from the file.
/// </summary>
/// <remarks>
/// <para>Both serialisations <c>torch.save</c> has written are read: the zip archive of
/// PyTorch ≥ 1.6 (<c>&lt;name&gt;/data.pkl</c> plus one <c>&lt;name&gt;/data/&lt;key&gt;</c>
/// record per storage) and the legacy stream of PyTorch 0.4–1.5, in which the official
/// AdaIN and SANet weights were released. The pickle inside either goes through a restricted
/// unpickler that accepts only the globals a state dict needs (see <see cref="TorchGlobals"/>):
/// a file that names anything else — <c>os.system</c>, a model class — is refused with a
/// <see cref="WeightFileException"/> naming that global, before anything is built.</para>
/// <para>Training checkpoints often wrap the state dict: when the top-level dict is not itself
/// a dict of tensors, the state dict is taken from its entry <c>state_dict</c>,
/// <c>model_state_dict</c>, <c>model</c> or <c>net</c>, in that order.</para>
/// </remarks>
public static class TorchCheckpoint
{
    /// <summary>The entries of a training checkpoint that may hold its state dict, in the order they are tried.</summary>
    public static IReadOnlyList<string> WrapperKeys { get; } = ["state_dict", "model_state_dict", "model", "net"];

    /// <summary>
    /// Tensors whose strides repeat elements (<c>expand</c>) are copied out; this many elements
    /// is the most such a copy may create, so a hostile size cannot exhaust memory.
    /// </summary>
    const long MaxRepeatedElements = 1L << 28;

    /// <summary>Loads the state dict in a <c>.pth</c> / <c>.pt</c> file.</summary>
    /// <returns>
    /// Tensors by their PyTorch names, on the CPU, with the file's element types and shapes.
    /// Each is contiguous and owns its memory, even where the file stored several tensors or a
    /// strided view on one storage. The caller owns (and disposes) them.
    /// </returns>
    /// <exception cref="WeightFileException">The file is not a readable checkpoint, or refers to code.</exception>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var stream = RegularFile.OpenRead(path, problem => new WeightFileException(path, problem));
        return Load(stream, path);
    }

    /// <summary>Loads a state dict from a stream positioned at the start of a checkpoint.</summary>
    /// <param name="stream">Read, not disposed. A stream that cannot seek is first copied into memory.</param>
    /// <param name="displayName">Names the source in errors, e.g. the URL it was downloaded from.</param>
    /// <inheritdoc cref="Load(string)"/>
    public static Dictionary<string, Tensor> Load(Stream stream, string displayName)
    {
        TorchRuntime.EnsureLoaded();
        if (!stream.CanSeek)
        {
            stream = new MemoryStream(RegularFile.ReadAll(stream, Math.Min(Array.MaxLength, MemoryBudget.Current.Bytes),
                problem => new WeightFileException(displayName, problem)), writable: false);
        }

        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> stateDict;
        try
        {
            stateDict = ReadFormat(stream) switch
            {
                Format.Zip => ZipCheckpoint.Load(stream, displayName),
                Format.Legacy => LegacyCheckpoint.Load(stream, displayName),
                _ => throw new WeightFileException(displayName,
                    "not a PyTorch checkpoint: it is neither a zip archive (torch.save since PyTorch 1.6) " +
                    "nor a pickle stream (the legacy torch.save format)"),
            };
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException and not FileNotFoundException)
        {
            throw new WeightFileException(displayName, $"the file is corrupt or truncated ({e.Message})", e);
        }
        foreach (Tensor tensor in stateDict.Values) tensor.MoveToOuterDisposeScope();
        return stateDict;
    }

    enum Format { Unknown, Zip, Legacy }

    static Format ReadFormat(Stream stream)
    {
        long start = stream.Position;
        Span<byte> head = stackalloc byte[4];
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        if (read == 4 && head is [(byte)'P', (byte)'K', 3, 4]) return Format.Zip;
        // Every pickle PyTorch writes begins with the PROTO opcode.
        if (read >= 2 && head[0] == 0x80) return Format.Legacy;
        return Format.Unknown;
    }

    /// <summary>
    /// Finds the state dict in an unpickled checkpoint and turns its tensor records into
    /// tensors, asking <paramref name="readStorage"/> for each storage record once.
    /// </summary>
    internal static Dictionary<string, Tensor> Assemble(object? root, string file, Func<StorageReference, Tensor> readStorage)
    {
        List<(string Name, TensorRecord Record)> records = FindStateDict(root, file);
        var users = records.CountBy(r => r.Record.Storage.Key).ToDictionary();
        var storages = new Dictionary<string, Tensor>();
        var stateDict = new Dictionary<string, Tensor>(records.Count);
        foreach (var (name, record) in records)
        {
            string key = record.Storage.Key;
            if (!storages.TryGetValue(key, out Tensor? storage))
                storages[key] = storage = readStorage(record.Storage);
            if (storage.dtype != record.Storage.DType)
                throw new WeightFileException(file,
                    $"storage '{key}' is read as {record.Storage.DType} by tensor '{name}' but as {storage.dtype} elsewhere");
            stateDict[name] = Materialize(name, record, storage, shared: users[key] > 1, file);
        }
        return stateDict;
    }

    static List<(string, TensorRecord)> FindStateDict(object? root, string file)
    {
        if (root is not PickleDict top)
            throw new WeightFileException(file, $"expected a state dict (a dict of tensors), but the file holds a {Unpickler.Describe(root)}");
        if (AllTensors(top)) return TensorEntries(top);
        foreach (string wrapper in WrapperKeys)
            if (top.TryGet(wrapper, out object? inner) && inner is PickleDict candidate && AllTensors(candidate))
                return TensorEntries(candidate);

        var (key, value) = top.Entries.First(e => e.Key is not string || e.Value is not TensorRecord);
        string keys = string.Join(", ", top.Entries.Take(8).Select(e => $"'{e.Key}'"));
        string problem = key is string ? $"entry '{key}' is a {Unpickler.Describe(value)}" : $"it has a key {key} of type {Unpickler.Describe(key)}";
        throw new WeightFileException(file,
            $"expected a state dict (a dict of tensors with string keys), but {problem} " +
            $"(keys: {keys}{(top.Count > 8 ? ", …" : "")}), and none of {string.Join(", ", WrapperKeys)} holds a dict of tensors");
    }

    static bool AllTensors(PickleDict dict) => dict.Entries.All(e => e.Key is string && e.Value is TensorRecord);

    static List<(string, TensorRecord)> TensorEntries(PickleDict dict) =>
        dict.Entries.Select(e => ((string)e.Key, (TensorRecord)e.Value!)).ToList();

    /// <summary>Applies the record's size, stride and offset to its storage, after checking they fit.</summary>
    static Tensor Materialize(string name, TensorRecord record, Tensor storage, bool shared, string file)
    {
        StorageReference source = record.Storage;
        long[] size = record.Size, stride = record.Stride;
        string Shape() => $"size [{string.Join(", ", size)}], stride [{string.Join(", ", stride)}], offset {record.StorageOffset}";

        if (size.Length != stride.Length || !StorageData.IsRepresentable(size) || stride.Any(n => n < 0) || record.StorageOffset < 0)
            throw new WeightFileException(file, $"tensor '{name}' has an impossible layout: {Shape()}");
        if (size.Contains(0)) return empty(size, source.DType);

        // The last element the view touches, accumulated in 128 bits and checked as it grows,
        // so that hostile sizes can neither overflow nor index past the storage.
        Int128 last = record.StorageOffset;
        for (int d = 0; d <= size.Length; d++)
        {
            if (last >= source.ElementCount)
                throw new WeightFileException(file,
                    $"storage '{source.Key}' is too small for tensor '{name}': {Shape()} reaches element {last}, " +
                    $"but the storage holds {source.ElementCount} elements");
            if (d < size.Length) last += (Int128)(size[d] - 1) * stride[d];
        }
        Int128 elements = size.Aggregate((Int128)1, (n, s) => n * s);
        if (elements > source.ElementCount && elements > MaxRepeatedElements)
            throw new WeightFileException(file,
                $"tensor '{name}' repeats its {source.ElementCount}-element storage into {elements} elements ({Shape()}), more than StyleLab will allocate");

        Tensor view = storage.as_strided(size, stride, source.ElementOffset + record.StorageOffset);
        // A tensor that is its whole storage is returned as is; any other view is copied, so
        // no tensor aliases another or keeps a larger storage alive.
        bool wholeStorage = !shared && view.is_contiguous() && (long)elements == storage.numel();
        return wholeStorage ? view : view.is_contiguous() ? view.clone() : view.contiguous();
    }
}
