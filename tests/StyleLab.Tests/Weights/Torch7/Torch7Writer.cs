using System.Buffers.Binary;
using System.Text;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Weights.Torch7;

/// <summary>
/// A test-only writer of Torch7's binary format (torch7 File.lua <c>writeObject</c>, 8-byte longs): it writes
/// the reader's own value model back (tables and objects in their entry order, references numbered in
/// write order as Lua numbers them), so reading a real file and writing it again reproduces its bytes.
/// Tensors given as TorchSharp tensors become <c>torch.FloatTensor</c>s with their own storage.
/// </summary>
public sealed class Torch7Writer
{
    readonly MemoryStream _out = new();
    readonly Dictionary<object, int> _indices = new(ReferenceEqualityComparer.Instance);
    readonly int _longSize;

    public Torch7Writer(int longSize = 8) => _longSize = longSize;

    /// <summary>The bytes of <paramref name="value"/> serialised as <c>torch.save</c> would.</summary>
    public static byte[] Serialise(object? value, int longSize = 8)
    {
        var writer = new Torch7Writer(longSize);
        writer.Write(value);
        return writer._out.ToArray();
    }

    public void Write(object? value)
    {
        switch (value)
        {
            case null: Int(0); break;
            case double d: Int(1); Double(d); break;
            case int i: Int(1); Double(i); break;
            case string s: Int(2); String(s); break;
            case bool b: Int(5); Int(b ? 1 : 0); break;
            case Torch7Table t:
                if (Reference(3, t)) return;
                Int(t.Count);
                foreach (var (k, v) in t.Entries) { Write(k); Write(v); }
                break;
            case LuaTable t:
                if (Reference(3, t)) return;
                Int(t.Entries.Count);
                foreach (var (k, v) in t.Entries) { Write(k); Write(v); }
                break;
            case Torch7Object o:
                if (Reference(4, o)) return;
                Header(o.Version, o.ClassName);
                Write(o.Fields);
                break;
            case LuaObject o:
                if (Reference(4, o)) return;
                Header(1, o.ClassName);
                Write(o.Fields);
                break;
            case Torch7Tensor t:
                if (Reference(4, t)) return;
                Header(1, t.ClassName);
                Int(t.Sizes.Count);
                foreach (var s in t.Sizes) Long(s);
                foreach (var s in t.Strides) Long(s);
                Long(t.Offset + 1);
                Write(t.Storage);
                break;
            case Torch7Storage s:
                if (Reference(4, s)) return;
                Header(1, s.ClassName);
                Long(s.Count);
                _out.Write(s.Bytes);
                break;
            case Tensor t:
                if (Reference(4, t)) return;
                using (var cpu = t.detach().cpu().to(ScalarType.Float32).contiguous())
                {
                    Header(1, "torch.FloatTensor");
                    Int((int)cpu.dim());
                    foreach (var s in cpu.shape) Long(s);
                    foreach (var s in cpu.stride()) Long(s);
                    Long(1);
                    Reference(4, new object()); // the tensor's own storage
                    Header(1, "torch.FloatStorage");
                    Long(cpu.numel());
                    _out.Write(cpu.bytes);
                }
                break;
            default: throw new ArgumentException($"cannot write a {value.GetType().Name}");
        }
    }

    /// <summary>Writes the tag and reference index; true when the object was written before (only the index follows).</summary>
    bool Reference(int tag, object o)
    {
        Int(tag);
        if (_indices.TryGetValue(o, out int index)) { Int(index); return true; }
        index = _indices.Count + 1;
        _indices[o] = index;
        Int(index);
        return false;
    }

    void Header(int version, string className) { String($"V {version}"); String(className); }

    void Int(int v) { Span<byte> b = stackalloc byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, v); _out.Write(b); }

    void Long(long v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, v);
        _out.Write(b[.._longSize]);
    }

    void Double(double v) { Span<byte> b = stackalloc byte[8]; BinaryPrimitives.WriteDoubleLittleEndian(b, v); _out.Write(b); }

    void String(string s) { var b = Encoding.UTF8.GetBytes(s); Int(b.Length); _out.Write(b); }
}

/// <summary>A Lua table to write: entries in the order given.</summary>
public sealed class LuaTable
{
    public List<KeyValuePair<object, object?>> Entries { get; } = [];

    public LuaTable Add(object key, object? value) { Entries.Add(new(key, value)); return this; }

    /// <summary>A sequence {1 = a, 2 = b, …}.</summary>
    public static LuaTable List(IEnumerable<object?> items)
    {
        var t = new LuaTable();
        int i = 1;
        foreach (var item in items) t.Add((double)i++, item);
        return t;
    }
}

/// <summary>An object of a torch class to write: its class name and fields.</summary>
public sealed record LuaObject(string ClassName, LuaTable Fields);
