using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StyleLab.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each
/// tensor name to its dtype, shape and byte range, then the raw little-endian data. It holds
/// only data, so reading it can never run code.
/// </summary>
public static class SafeTensors
{
    /// <summary>Headers beyond this size are not weight files (the format's own limit is 100 MB).</summary>
    const long MaxHeaderBytes = 100_000_000;

    static readonly Dictionary<string, ScalarType> DTypes = new()
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16,
        ["BF16"] = ScalarType.BFloat16, ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32,
        ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8, ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>Reads every tensor of a safetensors file (CPU tensors, in the file's dtypes).</summary>
    public static Dictionary<string, Tensor> Load(string path) => Load(path, out _);

    /// <summary>Reads every tensor and the optional <c>__metadata__</c> string map.</summary>
    public static Dictionary<string, Tensor> Load(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new WeightFileException(path, "file not found.");
        using var stream = RegularFile.OpenRead(path, problem => new WeightFileException(path, problem));
        return Load(stream, path, out metadata);
    }

    /// <summary>Reads a safetensors stream; <paramref name="displayName"/> names it in errors.</summary>
    public static Dictionary<string, Tensor> Load(Stream stream, string displayName, out IReadOnlyDictionary<string, string> metadata)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (ReadFully(stream, lengthBytes) < 8)
            throw new WeightFileException(displayName, "truncated safetensors file: shorter than its 8-byte header length.");
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(lengthBytes);
        if (headerLength <= 1 || headerLength > MaxHeaderBytes)
            throw new WeightFileException(displayName, $"not a safetensors file: header length {headerLength} is implausible.");

        var headerBytes = new byte[headerLength];
        if (ReadFully(stream, headerBytes) < headerLength)
            throw new WeightFileException(displayName, "truncated safetensors file: the JSON header is cut off.");

        JsonObject header = StrictJson.ParseObject(headerBytes, displayName, "the safetensors header");

        var entries = new List<(string Name, ScalarType DType, long[] Shape, long Begin, long End)>();
        var meta = new Dictionary<string, string>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is not JsonObject metaObject)
                    throw new WeightFileException(displayName, "the header's __metadata__ is not a JSON object of strings.");
                foreach (var (k, v) in metaObject)
                    meta[k] = v is JsonValue value && value.TryGetValue(out string? text) ? text
                        : throw new WeightFileException(displayName, $"metadata entry '{k}' is not a string (safetensors metadata maps strings to strings).");
                continue;
            }
            entries.Add(ParseEntry(displayName, name, node));
        }
        metadata = meta;

        long dataStart = 8 + headerLength;
        long dataLength = stream.CanSeek ? stream.Length - dataStart : long.MaxValue;
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            // Entries are read in file order so that a non-seekable stream also works.
            long position = 0;
            foreach (var e in entries.OrderBy(e => e.Begin))
            {
                if (e.End > dataLength)
                    throw new WeightFileException(displayName,
                        $"truncated safetensors file: tensor '{e.Name}' needs bytes {e.Begin}..{e.End} of the data section, which has only {dataLength}.");
                if (e.Begin < position)
                    throw new WeightFileException(displayName, $"tensor '{e.Name}' overlaps another tensor's bytes.");
                Skip(stream, e.Begin - position, displayName);
                long size = e.End - e.Begin;
                if (size > Array.MaxLength || size > MemoryBudget.Current.Bytes)
                    throw new WeightFileException(displayName,
                        $"tensor '{e.Name}' is {size} bytes, more than StyleLab reads into one tensor ({Math.Min(Array.MaxLength, MemoryBudget.Current.Bytes)} bytes).");
                var bytes = new byte[size];
                if (ReadFully(stream, bytes) < bytes.Length)
                    throw new WeightFileException(displayName, $"truncated safetensors file: tensor '{e.Name}' is cut off.");
                position = e.End;
                var tensor = torch.empty(e.Shape, e.DType);
                if (bytes.Length > 0) tensor.bytes = bytes;
                tensors[e.Name] = tensor;
            }
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return tensors;
    }

    static (string, ScalarType, long[], long, long) ParseEntry(string file, string name, JsonNode? node)
    {
        try
        {
            var o = node!.AsObject();
            string dtypeName = o["dtype"]!.GetValue<string>();
            if (!DTypes.TryGetValue(dtypeName, out var dtype))
                throw new WeightFileException(file, $"tensor '{name}' has unsupported dtype '{dtypeName}'.");
            long[] shape = o["shape"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray();
            var offsets = o["data_offsets"]!.AsArray();
            if (offsets.Count != 2) throw new FormatException("data_offsets must be [begin, end]");
            long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
            // In 128 bits: a hostile shape such as [2^62, 4] must not wrap around to a small byte count.
            Int128 expected = shape.Aggregate((Int128)1, (a, b) => a * b) * ElementSize(dtype);
            if (!StorageData.IsRepresentable(shape) || begin < 0 || end < begin || end - begin != expected)
                throw new WeightFileException(file,
                    $"tensor '{name}' declares shape [{string.Join(",", shape)}] of {dtypeName} ({expected} bytes) but a byte range of {end - begin}.");
            return (name, dtype, shape, begin, end);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or JsonException or ArgumentException)
        {
            throw new WeightFileException(file, $"tensor '{name}' has a malformed header entry (expected {{\"dtype\": …, \"shape\": [...], \"data_offsets\": [begin, end]}}).", e);
        }
    }

    /// <summary>Writes tensors (any device, contiguous copies are made) with optional string metadata.</summary>
    /// <exception cref="InvalidOperationException">A tensor holds NaN or ∞ (nothing is written).</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        NonFiniteValues.RefuseToWrite(tensors, path);
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var m = new JsonObject();
            foreach (var (k, v) in metadata) m[k] = v;
            header["__metadata__"] = m;
        }
        long offset = 0;
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var name in names)
        {
            var t = tensors[name];
            long size = t.numel() * ElementSize(t.dtype);
            header[name] = new JsonObject
            {
                ["dtype"] = DTypes.First(kv => kv.Value == t.dtype).Key,
                ["shape"] = new JsonArray(t.shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + size),
            };
            offset += size;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // The format pads the header with spaces so the data section starts 8-byte aligned.
        int padded = (json.Length + 7) / 8 * 8;
        var headerBytes = new byte[padded];
        Array.Fill(headerBytes, (byte)' ');
        json.CopyTo(headerBytes, 0);

        string temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length, padded);
            stream.Write(length);
            stream.Write(headerBytes);
            foreach (var name in names)
            {
                using var cpu = tensors[name].detach().cpu().contiguous();
                if (cpu.numel() > 0) stream.Write(cpu.bytes);
            }
            // On disk before the rename: otherwise a power cut after the move can leave an empty
            // file under the real name on file systems that reorder metadata and data writes.
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    internal static int ElementSize(ScalarType t) => t switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new NotSupportedException($"dtype {t} is not supported in safetensors files."),
    };

    static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    static void Skip(Stream stream, long count, string file)
    {
        if (count == 0) return;
        if (stream.CanSeek) { stream.Seek(count, SeekOrigin.Current); return; }
        var sink = new byte[Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            int n = stream.Read(sink, 0, (int)Math.Min(count, sink.Length));
            if (n == 0) throw new WeightFileException(file, "truncated safetensors file.");
            count -= n;
        }
    }
}
