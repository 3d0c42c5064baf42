using System.Buffers.Binary;
using System.Text;
using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// Reads Lua Torch 7's binary serialisation (torch7's <c>File.lua</c> <c>writeObject</c>): nil, numbers,
/// strings, booleans, tables, torch objects (version string, class name, their fields or their own
/// serialisation), tensors and storages of every element type, <c>tds.Vec</c>/<c>tds.Hash</c>, with shared
/// and recursive references resolved by index. It builds data only and never executes anything: a
/// serialised Lua function is refused. Every length is checked against the bytes that remain, so a
/// truncated or corrupt file fails with a <see cref="WeightFileException"/> naming it.
/// </summary>
/// <remarks>
/// Values: <c>null</c>, <see cref="double"/>, <see cref="string"/>, <see cref="bool"/>, <see cref="Torch7Table"/>,
/// <see cref="Torch7Object"/>, <see cref="Torch7Tensor"/>, <see cref="Torch7Storage"/>. Lua strings are bytes;
/// they are decoded as UTF-8 (class and field names are ASCII).
/// </remarks>
public sealed class Torch7Reader
{
    // File.lua's type tags.
    const int TypeNil = 0, TypeNumber = 1, TypeString = 2, TypeTable = 3, TypeTorch = 4, TypeBoolean = 5,
        TypeFunction = 6, TypeLegacyRecurFunction = 7, TypeRecurFunction = 8;

    /// <summary>A placeholder for an object with its own reader while it is being read.</summary>
    static readonly object Pending = new();

    readonly byte[] _bytes;
    readonly string _file;
    readonly int _longSize;
    readonly int _maxDepth;
    readonly Dictionary<int, object?> _objects = new();
    int _position;
    int _depth;

    Torch7Reader(byte[] bytes, string file, int longSize, int maxDepth)
    {
        _bytes = bytes;
        _file = file;
        _longSize = longSize;
        _maxDepth = maxDepth;
    }

    /// <summary>Reads the one object a <c>torch.save</c> file holds.</summary>
    /// <exception cref="WeightFileException">Missing, truncated, corrupt, or holding a Lua function.</exception>
    public static object? Load(string path, Torch7Options? options = null)
    {
        if (!File.Exists(path)) throw new WeightFileException(path, "file not found.");
        return Load(File.ReadAllBytes(path), path, options);
    }

    /// <summary>Reads a Torch7 serialisation held in memory; <paramref name="displayName"/> names it in errors.</summary>
    public static object? Load(byte[] bytes, string displayName, Torch7Options? options = null)
    {
        options ??= new Torch7Options();
        if (options.LongSize is { } size)
        {
            if (size is not (4 or 8)) throw new ArgumentOutOfRangeException(nameof(options), "LongSize must be 4 or 8");
            return new Torch7Reader(bytes, displayName, size, options.MaxDepth).ReadWhole();
        }
        var eight = new Torch7Reader(bytes, displayName, 8, options.MaxDepth);
        try
        {
            return eight.ReadWhole();
        }
        catch (WeightFileException eightError)
        {
            // Files written where a C long has 4 bytes (Windows, 32-bit) differ only in tensor sizes,
            // strides, offsets and storage lengths; read with 8 they fail a bounds check. When both
            // fail, the reading that got further names the more telling problem.
            var four = new Torch7Reader(bytes, displayName, 4, options.MaxDepth);
            try { return four.ReadWhole(); }
            catch (WeightFileException) when (four._position <= eight._position) { throw eightError; }
        }
    }

    /// <summary>
    /// True when the bytes start like a Torch7 file: a table, torch object or function (to be refused by name,
    /// not skipped as unknown) with reference index 1.
    /// </summary>
    public static bool LooksLikeTorch7(ReadOnlySpan<byte> head) =>
        head.Length >= 8
        && BinaryPrimitives.ReadInt32LittleEndian(head) is TypeTable or TypeTorch or TypeFunction or TypeLegacyRecurFunction or TypeRecurFunction
        && BinaryPrimitives.ReadInt32LittleEndian(head[4..]) == 1;

    object? ReadWhole()
    {
        var value = ReadObject();
        if (_position != _bytes.Length)
            throw Fail($"{_bytes.Length - _position} bytes follow the serialised object; the file is not a single torch.save");
        return value;
    }

    object? ReadObject()
    {
        int tagAt = _position;
        int tag = ReadInt();
        switch (tag)
        {
            case TypeNil: return null;
            case TypeNumber: return ReadDouble();
            case TypeString: return ReadString();
            case TypeBoolean: return ReadInt() == 1;
            case TypeFunction or TypeLegacyRecurFunction or TypeRecurFunction:
                throw new WeightFileException(_file,
                    $"it holds a serialised Lua function (type tag {tag} at byte {tagAt}); StyleLab reads data only and never runs code from a weight file, so the file is refused.");
            case TypeTable or TypeTorch:
                int index = ReadInt();
                if (_objects.TryGetValue(index, out var known))
                {
                    if (ReferenceEquals(known, Pending)) throw Fail($"object {index} refers to itself while it is being read (byte {tagAt})");
                    return known;
                }
                if (++_depth > _maxDepth) throw Fail($"objects nest deeper than {_maxDepth} levels (byte {tagAt})");
                try { return tag == TypeTable ? ReadTable(index) : ReadTorch(index); }
                finally { _depth--; }
            default:
                throw Fail($"unknown type tag {tag} at byte {tagAt}: not a Torch7 binary file, or corrupt");
        }
    }

    Torch7Table ReadTable(int index)
    {
        var table = new Torch7Table();
        _objects[index] = table; // before the entries: a table may contain itself
        int count = ReadCount(8, "table entries");
        for (int i = 0; i < count; i++)
        {
            int keyAt = _position;
            var key = ReadObject() ?? throw Fail($"a table key is nil (byte {keyAt})");
            if (key is double d && double.IsNaN(d)) throw Fail($"a table key is NaN (byte {keyAt})");
            table.Set(key, ReadObject());
        }
        return table;
    }

    object ReadTorch(int index)
    {
        string version = ReadString();
        int versionNumber = 0;
        string className;
        if (version.StartsWith("V ", StringComparison.Ordinal))
        {
            if (!int.TryParse(version.AsSpan(2), out versionNumber)) throw Fail($"unreadable version string '{Shorten(version)}'");
            className = ReadString();
        }
        else className = version; // files written before versions existed

        if (Torch7ElementTypes.OfStorage(className) is { } storageType)
        {
            _objects[index] = Pending;
            return _objects[index] = ReadStorage(className, storageType);
        }
        if (Torch7ElementTypes.OfTensor(className) is { } tensorType)
        {
            _objects[index] = Pending;
            return _objects[index] = ReadTensor(className, tensorType);
        }
        if (className is "tds.Vec" or "tds.Hash")
        {
            _objects[index] = Pending;
            return _objects[index] = ReadTds(className == "tds.Hash");
        }
        if (className.StartsWith("torch.", StringComparison.Ordinal) && (className.EndsWith("Tensor", StringComparison.Ordinal) || className.EndsWith("Storage", StringComparison.Ordinal)))
            throw Fail($"unsupported tensor type '{className}'");

        var obj = new Torch7Object(className, versionNumber);
        _objects[index] = obj; // before the fields: an object may refer to itself
        int fieldsAt = _position;
        obj.Fields = ReadObject() switch
        {
            Torch7Table t => t,
            null => new Torch7Table(),
            var other => throw Fail($"the fields of a '{className}' are a {Describe(other)}, not a table (byte {fieldsAt})"),
        };
        return obj;
    }

    Torch7Storage ReadStorage(string className, ScalarType type)
    {
        long count = ReadLong();
        int fileSize = Torch7ElementTypes.FileSize(type, _longSize);
        if (count < 0 || count > Remaining / fileSize)
            throw Fail($"{className} of {count} elements needs {count}×{fileSize} bytes; only {Remaining} remain (truncated?)");
        int bytes = (int)count * fileSize;
        var span = _bytes.AsSpan(_position, bytes);
        _position += bytes;
        byte[] data;
        if (type == ScalarType.Int64 && fileSize == 4)
        {
            data = new byte[count * 8];
            for (int i = 0; i < count; i++)
                BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(i * 8), BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]));
        }
        else data = span.ToArray();
        return new Torch7Storage(className, type, count, data);
    }

    Torch7Tensor ReadTensor(string className, ScalarType type)
    {
        int dimensions = ReadInt();
        if (dimensions < 0 || dimensions > 64) throw Fail($"{className} has {dimensions} dimensions");
        var sizes = new long[dimensions];
        var strides = new long[dimensions];
        for (int i = 0; i < dimensions; i++) sizes[i] = ReadLong();
        for (int i = 0; i < dimensions; i++) strides[i] = ReadLong();
        long offset = ReadLong() - 1;
        int storageAt = _position;
        var storage = ReadObject() switch
        {
            null => null,
            Torch7Storage s when s.ElementType == type => s,
            var other => throw Fail($"{className} at byte {storageAt} refers to a {Describe(other)}, not its storage"),
        };
        // Torch writes a tensor without storage as 0-dimensional; sizes without storage are corrupt (or the
        // wrong long size: a prefix of an 8-byte-long file can parse as such a tensor with 4-byte longs).
        if (storage is null && dimensions > 0) throw Fail($"{className} of size [{string.Join(",", sizes)}] has no storage");
        if (sizes.Any(s => s < 0)) throw Fail($"{className} has a negative size [{string.Join(",", sizes)}]");
        if (strides.Any(s => s < 0)) throw Fail($"{className} has a negative stride [{string.Join(",", strides)}]");
        bool empty = dimensions == 0 || storage is null || sizes.Contains(0);
        if (!empty)
        {
            // The last element the view reaches must lie inside the storage; checked arithmetic
            // refuses sizes whose product or extent overflows.
            long last, count = 1;
            try
            {
                last = offset;
                for (int i = 0; i < dimensions; i++)
                {
                    count = checked(count * sizes[i]);
                    last = checked(last + (sizes[i] - 1) * strides[i]);
                }
            }
            catch (OverflowException) { throw Fail($"{className} of size [{string.Join(",", sizes)}] overflows"); }
            if (offset < 0 || last >= storage!.Count)
                throw Fail($"{className} of size [{string.Join(",", sizes)}], strides [{string.Join(",", strides)}] and offset {offset} reaches past its storage of {storage!.Count} elements");
            // A zero stride repeats an element, so a small storage can describe a view of 2⁶¹ elements: reading it
            // makes the view contiguous, which must fit the memory budget like any other tensor.
            long elementBytes = storage.Bytes.Length / storage.Count;
            if (count > MemoryBudget.Current.Bytes / elementBytes)
                throw Fail($"{className} of size [{string.Join(",", sizes)}] (strides [{string.Join(",", strides)}]) would take {count} elements × {elementBytes} bytes when read, " +
                    $"more than StyleLab's memory budget of {MemoryBudget.Format(MemoryBudget.Current.Bytes)} ({MemoryBudget.EnvironmentVariable})");
        }
        return new Torch7Tensor(className, type, sizes, strides, Math.Max(offset, 0), storage);
    }

    /// <summary>tds containers (torch/tds): their size, one ignored object, then the elements (or key/value pairs).</summary>
    Torch7Table ReadTds(bool hash)
    {
        int count = ReadCount(hash ? 8 : 4, hash ? "tds.Hash entries" : "tds.Vec elements");
        ReadObject();
        var table = new Torch7Table();
        for (int i = 0; i < count; i++)
        {
            if (hash)
            {
                int keyAt = _position;
                var key = ReadObject() ?? throw Fail($"a tds.Hash key is nil (byte {keyAt})");
                table.Set(key, ReadObject());
            }
            else table.Set((double)(i + 1), ReadObject());
        }
        return table;
    }

    int Remaining => _bytes.Length - _position;

    int ReadInt()
    {
        Need(4, "an int");
        int value = BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(_position));
        _position += 4;
        return value;
    }

    long ReadLong()
    {
        Need(_longSize, "a long");
        long value = _longSize == 8
            ? BinaryPrimitives.ReadInt64LittleEndian(_bytes.AsSpan(_position))
            : BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(_position));
        _position += _longSize;
        return value;
    }

    double ReadDouble()
    {
        Need(8, "a number");
        double value = BinaryPrimitives.ReadDoubleLittleEndian(_bytes.AsSpan(_position));
        _position += 8;
        return value;
    }

    string ReadString()
    {
        int at = _position;
        int length = ReadInt();
        if (length < 0 || length > Remaining) throw Fail($"a string of {length} bytes at byte {at}, but only {Remaining} remain (truncated?)");
        string s = Encoding.UTF8.GetString(_bytes, _position, length);
        _position += length;
        return s;
    }

    /// <summary>A count of items that each take at least <paramref name="minBytes"/>: more than the file can hold is corrupt.</summary>
    int ReadCount(int minBytes, string what)
    {
        int at = _position;
        int count = ReadInt();
        if (count < 0 || count > Remaining / minBytes) throw Fail($"{count} {what} at byte {at}, but only {Remaining} bytes remain (truncated?)");
        return count;
    }

    void Need(int bytes, string what)
    {
        if (Remaining < bytes) throw Fail($"truncated: {what} at byte {_position} needs {bytes} bytes, {Remaining} remain");
    }

    WeightFileException Fail(string problem) => new(_file, $"{problem} (read as Torch7 with {_longSize}-byte longs).");

    static string Describe(object? value) => value switch
    {
        null => "nil",
        double => "number",
        string => "string",
        bool => "boolean",
        Torch7Table => "table",
        Torch7Object o => $"'{o.ClassName}' object",
        Torch7Tensor t => t.ClassName,
        Torch7Storage s => s.ClassName,
        _ => value.GetType().Name,
    };

    static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
