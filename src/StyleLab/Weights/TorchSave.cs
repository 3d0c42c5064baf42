using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// Writes a state dict as <c>torch.save(state_dict, path)</c> does (the zip serialisation of PyTorch ≥ 1.6),
/// so <c>torch.load</c> and <c>model.load_state_dict</c> read it — e.g. a decoder trained by StyleLab
/// handed to the official PyTorch code. Keys keep their order; tensors are saved contiguous on the CPU.
/// </summary>
/// <remarks>
/// The pickle (protocol 2) is an <c>OrderedDict</c> of <c>torch._utils._rebuild_tensor_v2</c> calls whose
/// storages are persistent ids <c>('storage', torch.FloatStorage, key, 'cpu', numel)</c>, one zip record
/// each, stored uncompressed. Only the globals <see cref="TorchCheckpoint"/>'s restricted unpickler accepts
/// are written, so StyleLab reads its own files back.
/// </remarks>
public static class TorchSave
{
    const string Folder = "archive/";

    /// <summary>Writes <paramref name="stateDict"/> to <paramref name="path"/> (through a temporary file, then a move).</summary>
    /// <exception cref="ArgumentException">A tensor's type has no PyTorch storage class here.</exception>
    /// <exception cref="InvalidOperationException">A tensor holds NaN or ∞ (nothing is written).</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> stateDict)
    {
        NonFiniteValues.RefuseToWrite(stateDict, path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
            {
                var tensors = stateDict.Select(kv => (kv.Key, Tensor: kv.Value.detach().cpu().contiguous())).ToList();
                try
                {
                    Write(zip, "data.pkl", Pickle(tensors));
                    Write(zip, "byteorder", Encoding.ASCII.GetBytes("little"));
                    for (int i = 0; i < tensors.Count; i++) Write(zip, $"data/{i}", tensors[i].Tensor.bytes.ToArray());
                    Write(zip, "version", Encoding.ASCII.GetBytes("3\n"));
                }
                finally
                {
                    foreach (var (_, t) in tensors) t.Dispose();
                }
            }
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
    }

    static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        var entry = zip.CreateEntry(Folder + name, CompressionLevel.NoCompression);
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    static byte[] Pickle(IReadOnlyList<(string Key, Tensor Tensor)> tensors)
    {
        var p = new PickleWriter();
        p.Proto();
        p.Global("collections", "OrderedDict"); p.EmptyTuple(); p.Reduce();
        p.Mark();
        for (int i = 0; i < tensors.Count; i++)
        {
            var (key, tensor) = tensors[i];
            p.String(key);
            p.Global("torch._utils", "_rebuild_tensor_v2");
            p.Mark();
            //   the storage: persistent id ('storage', torch.FloatStorage, key, 'cpu', numel)
            p.Mark(); p.String("storage"); p.Global("torch", StorageClass(tensor.dtype, key)); p.String($"{i}"); p.String("cpu"); p.Int(tensor.numel()); p.Tuple();
            p.PersistentId();
            p.Int(0);                                                                  // storage offset
            p.Mark(); foreach (var d in tensor.shape) p.Int(d); p.Tuple();             // size
            p.Mark(); foreach (var s in tensor.stride()) p.Int(s); p.Tuple();          // stride
            p.False();                                                                 // requires_grad
            p.Global("collections", "OrderedDict"); p.EmptyTuple(); p.Reduce();        // backward hooks
            p.Tuple();
            p.Reduce();
        }
        p.SetItems();
        p.Stop();
        return p.ToArray();
    }

    static string StorageClass(ScalarType dtype, string key) => dtype switch
    {
        ScalarType.Float32 => "FloatStorage",
        ScalarType.Float64 => "DoubleStorage",
        ScalarType.Float16 => "HalfStorage",
        ScalarType.BFloat16 => "BFloat16Storage",
        ScalarType.Int64 => "LongStorage",
        ScalarType.Int32 => "IntStorage",
        ScalarType.Int16 => "ShortStorage",
        ScalarType.Int8 => "CharStorage",
        ScalarType.Byte => "ByteStorage",
        ScalarType.Bool => "BoolStorage",
        _ => throw new ArgumentException($"Tensor '{key}' has type {dtype}, which this writer cannot save.", nameof(dtype)),
    };

    /// <summary>The few pickle opcodes (protocol 2) a state dict needs.</summary>
    sealed class PickleWriter
    {
        readonly MemoryStream _out = new();
        public void Proto() { _out.WriteByte(0x80); _out.WriteByte(2); }
        public void Mark() => _out.WriteByte((byte)'(');
        public void Tuple() => _out.WriteByte((byte)'t');
        public void EmptyTuple() => _out.WriteByte((byte)')');
        public void Reduce() => _out.WriteByte((byte)'R');
        public void SetItems() => _out.WriteByte((byte)'u');
        public void PersistentId() => _out.WriteByte((byte)'Q');
        public void False() => _out.WriteByte(0x89);
        public void Stop() => _out.WriteByte((byte)'.');
        public void Global(string module, string name) => _out.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));

        public void String(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            _out.WriteByte((byte)'X');
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            _out.Write(length);
            _out.Write(bytes);
        }

        public void Int(long value)
        {
            if (value is < int.MinValue or > int.MaxValue)
            {
                // LONG1: a little-endian two's-complement integer of n bytes.
                _out.WriteByte(0x8a); _out.WriteByte(8);
                Span<byte> wide = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(wide, value);
                _out.Write(wide);
                return;
            }
            _out.WriteByte((byte)'J');
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, (int)value);
            _out.Write(bytes);
        }

        public byte[] ToArray() => _out.ToArray();
    }
}
