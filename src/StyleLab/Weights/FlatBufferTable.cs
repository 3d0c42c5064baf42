using System.Buffers.Binary;
using System.Text;

namespace StyleLab.Weights;

/// <summary>
/// One table of a FlatBuffers file, read in place: a table starts with a signed offset back to its
/// vtable, whose 16-bit entries give each field's offset inside the table (0: absent, use the
/// default). Offsets to strings, vectors and sub-tables are unsigned and relative to the field.
/// Every read is bounds-checked, so a corrupt file fails with a <see cref="WeightFileException"/>
/// instead of reading garbage. Only what TFLite's schema needs is here.
/// </summary>
internal readonly struct FlatBufferTable
{
    readonly ReadOnlyMemory<byte> _file;
    readonly int _table;
    readonly string _path;

    FlatBufferTable(ReadOnlyMemory<byte> file, int table, string path) => (_file, _table, _path) = (file, table, path);

    /// <summary>The root table (its offset is the file's first 4 bytes).</summary>
    public static FlatBufferTable Root(ReadOnlyMemory<byte> file, string path) => new FlatBufferTable(file, 0, path).Follow(0);

    ReadOnlySpan<byte> Bytes => _file.Span;

    int FieldPosition(int slot)
    {
        int vtable = _table - ReadInt32(_table);
        int vtableSize = ReadUInt16(vtable);
        int entry = 4 + 2 * slot;
        return entry + 2 > vtableSize ? 0 : ReadUInt16(vtable + entry) is var offset and not 0 ? _table + offset : 0;
    }

    /// <summary>Whether the field is stored (absent fields take the schema's default).</summary>
    public bool Has(int slot) => FieldPosition(slot) != 0;

    public sbyte Int8(int slot, sbyte fallback = 0) => FieldPosition(slot) is var p and not 0 ? (sbyte)Check(p, 1)[0] : fallback;
    public byte UInt8(int slot, byte fallback = 0) => FieldPosition(slot) is var p and not 0 ? Check(p, 1)[0] : fallback;
    public bool Bool(int slot, bool fallback = false) => FieldPosition(slot) is var p and not 0 ? Check(p, 1)[0] != 0 : fallback;
    public int Int32(int slot, int fallback = 0) => FieldPosition(slot) is var p and not 0 ? ReadInt32(p) : fallback;
    public uint UInt32(int slot, uint fallback = 0) => FieldPosition(slot) is var p and not 0 ? (uint)ReadInt32(p) : fallback;
    public float Float32(int slot, float fallback = 0) => FieldPosition(slot) is var p and not 0 ? BinaryPrimitives.ReadSingleLittleEndian(Check(p, 4)) : fallback;

    /// <summary>A sub-table, or null when absent.</summary>
    public FlatBufferTable? Table(int slot) => FieldPosition(slot) is var p and not 0 ? Follow(p) : null;

    public string? String(int slot) => FieldPosition(slot) is var p and not 0 ? Encoding.UTF8.GetString(VectorBytes(Follow(p)._table, 1)) : null;

    /// <summary>The tables of a vector of tables (empty when absent).</summary>
    public IReadOnlyList<FlatBufferTable> Tables(int slot)
    {
        if (FieldPosition(slot) is not (var p and not 0)) return [];
        int vector = Follow(p)._table, count = ReadInt32(vector);
        Check(vector + 4, (long)count * 4);
        var tables = new FlatBufferTable[count];
        for (int i = 0; i < count; i++) tables[i] = Follow(vector + 4 + 4 * i);
        return tables;
    }

    /// <summary>The raw bytes of a vector of scalars of <paramref name="elementSize"/> bytes (empty when absent).</summary>
    public ReadOnlyMemory<byte> Vector(int slot, int elementSize) =>
        FieldPosition(slot) is var p and not 0 ? VectorMemory(Follow(p)._table, elementSize) : ReadOnlyMemory<byte>.Empty;

    public int[] Int32s(int slot) => Cast<int>(Vector(slot, 4));
    public long[] Int64s(int slot) => Cast<long>(Vector(slot, 8));
    public float[] Float32s(int slot) => Cast<float>(Vector(slot, 4));

    static T[] Cast<T>(ReadOnlyMemory<byte> bytes) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(bytes.Span).ToArray();   // little-endian hosts only, as TorchSharp

    FlatBufferTable Follow(int position)
    {
        long target = (long)position + ReadInt32(position);   // in 64 bits: a corrupt offset must not overflow (found by fuzzing)
        if (target < 0 || target >= Bytes.Length)
            throw new WeightFileException(_path, $"corrupt FlatBuffers data: the offset at {position} points to {target}, outside the {Bytes.Length}-byte file.");
        return new(_file, (int)target, _path);
    }

    ReadOnlyMemory<byte> VectorMemory(int vector, int elementSize)
    {
        long length = (long)ReadInt32(vector) * elementSize;
        Check(vector + 4, length);
        return _file.Slice(vector + 4, (int)length);
    }

    ReadOnlySpan<byte> VectorBytes(int vector, int elementSize) => VectorMemory(vector, elementSize).Span;

    int ReadInt32(int position) => BinaryPrimitives.ReadInt32LittleEndian(Check(position, 4));
    int ReadUInt16(int position) => BinaryPrimitives.ReadUInt16LittleEndian(Check(position, 2));

    ReadOnlySpan<byte> Check(int position, long length)
    {
        if (position < 0 || length < 0 || position + length > Bytes.Length)
            throw new WeightFileException(_path, $"corrupt FlatBuffers data: {length} bytes at offset {position} lie outside the {Bytes.Length}-byte file.");
        return Bytes.Slice(position, (int)length);
    }
}
