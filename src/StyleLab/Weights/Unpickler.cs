using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace StyleLab.Weights;

/// <summary>
/// A restricted pickle virtual machine: it reads the opcodes that PyTorch state dicts use
/// (protocols 2 to 5) and builds plain data — numbers, strings, lists, tuples
/// (<c>object?[]</c>), <see cref="PickleDict"/>s and whatever <see cref="TorchGlobals"/>
/// builds.
/// </summary>
/// <remarks>
/// Python's own unpickler imports and calls any global a file names, so a checkpoint can run
/// arbitrary code. This one never executes anything: a global is only a name checked against
/// <see cref="TorchGlobals"/>' allow-list when the opcode that names it is read, and "calling"
/// it (<c>REDUCE</c>, <c>NEWOBJ</c>) only builds data. Opcodes outside the subset are errors,
/// not guesses. Every malformed input ends in a <see cref="WeightFileException"/>.
/// </remarks>
internal sealed class Unpickler
{
    readonly Stream _stream;
    readonly string _file;
    readonly Func<object?, object?>? _persistentLoad;
    readonly List<object?> _stack = [];
    readonly Stack<int> _marks = new();
    readonly Dictionary<long, object?> _memo = [];
    long _position;

    /// <param name="stream">Read from its current position up to and including the STOP opcode, never beyond.</param>
    /// <param name="file">Named in every error.</param>
    /// <param name="persistentLoad">Turns a persistent id into an object; null when the pickle must have none.</param>
    public Unpickler(Stream stream, string file, Func<object?, object?>? persistentLoad = null)
    {
        _stream = stream;
        _file = file;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Runs one pickle to its STOP opcode and returns the object it built.</summary>
    public object? Load()
    {
        while (true)
        {
            long at = _position;
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break;                                    // PROTO: any version we can read
                case 0x95: ReadBytes(8); break;                                  // FRAME: only a read-ahead hint
                case (byte)'.': return Pop();                                    // STOP

                case (byte)'c': Push(TorchGlobals.Find(ReadLine(), ReadLine(), _file)); break;   // GLOBAL
                case 0x93:                                                       // STACK_GLOBAL
                {
                    string name = PopAs<string>("STACK_GLOBAL name");
                    string module = PopAs<string>("STACK_GLOBAL module");
                    Push(TorchGlobals.Find(module, name, _file));
                    break;
                }
                case (byte)'R':                                                  // REDUCE
                {
                    object?[] args = PopAs<object?[]>("REDUCE arguments");
                    Push(TorchGlobals.Call(Pop(), args, _file));
                    break;
                }
                case 0x81:                                                       // NEWOBJ
                {
                    object?[] args = PopAs<object?[]>("NEWOBJ arguments");
                    Push(TorchGlobals.Call(Pop(), args, _file));
                    break;
                }
                case (byte)'b': Build(Pop(), Peek()); break;                     // BUILD
                case (byte)'Q':                                                  // BINPERSID
                {
                    if (_persistentLoad is null) throw Corrupt(at, "a persistent id where none may appear");
                    Push(_persistentLoad(Pop()));
                    break;
                }

                case (byte)'q': _memo[ReadByte()] = Peek(); break;               // BINPUT
                case (byte)'r': _memo[ReadUInt32()] = Peek(); break;             // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break;                   // MEMOIZE
                case (byte)'h': Push(MemoGet(ReadByte(), at)); break;            // BINGET
                case (byte)'j': Push(MemoGet(ReadUInt32(), at)); break;          // LONG_BINGET

                case (byte)'(': _marks.Push(_stack.Count); break;                // MARK
                case (byte)'0': Pop(); break;                                    // POP
                case (byte)'1': PopMark(); break;                                // POP_MARK
                case (byte)'2': Push(Peek()); break;                             // DUP

                case (byte)'}': Push(new PickleDict()); break;                   // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break;                // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break;             // EMPTY_TUPLE
                case 0x85: Push(new[] { Pop() }); break;                         // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; }               // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'t': Push(PopMark().ToArray()); break;                // TUPLE
                case (byte)'l': Push(PopMark()); break;                          // LIST
                case (byte)'d': Push(ToDict(PopMark(), at)); break;              // DICT

                case (byte)'s':                                                  // SETITEM
                {
                    object? value = Pop();
                    object? key = Pop();
                    SetItem(PeekAs<PickleDict>("SETITEM target"), key, value, at);
                    break;
                }
                case (byte)'u':                                                  // SETITEMS
                {
                    List<object?> items = PopMark();
                    PickleDict dict = PeekAs<PickleDict>("SETITEMS target");
                    if (items.Count % 2 != 0) throw Corrupt(at, "SETITEMS with an odd number of items");
                    for (int i = 0; i < items.Count; i += 2) SetItem(dict, items[i], items[i + 1], at);
                    break;
                }
                case (byte)'a': { object? item = Pop(); PeekAs<List<object?>>("APPEND target").Add(item); break; }  // APPEND
                case (byte)'e': { List<object?> items = PopMark(); PeekAs<List<object?>>("APPENDS target").AddRange(items); break; } // APPENDS

                case (byte)'N': Push(null); break;                               // NONE
                case 0x88: Push(true); break;                                    // NEWTRUE
                case 0x89: Push(false); break;                                   // NEWFALSE
                case (byte)'K': Push((long)ReadByte()); break;                   // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break; // BININT2
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;  // BININT
                case 0x8a: Push(ReadLong(ReadByte())); break;                    // LONG1
                case 0x8b:                                                       // LONG4
                {
                    int n = BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4));
                    if (n < 0) throw Corrupt(at, "LONG4 with a negative length");
                    Push(ReadLong(n));
                    break;
                }
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;           // BINFLOAT

                case 0x8c: Push(ReadUtf8(ReadByte(), at)); break;                // SHORT_BINUNICODE
                case (byte)'X': Push(ReadUtf8(ReadUInt32(), at)); break;         // BINUNICODE
                case 0x8d: Push(ReadUtf8(ReadInt64Length(at), at)); break;       // BINUNICODE8
                case (byte)'U': Push(ReadUtf8(ReadByte(), at)); break;           // SHORT_BINSTRING (Python 2 str)
                case (byte)'T': Push(ReadUtf8(ReadUInt32(), at)); break;         // BINSTRING (Python 2 str)
                case (byte)'C': Push(ReadPayload(ReadByte(), at)); break;        // SHORT_BINBYTES
                case (byte)'B': Push(ReadPayload(ReadUInt32(), at)); break;      // BINBYTES
                case 0x8e: Push(ReadPayload(ReadInt64Length(at), at)); break;    // BINBYTES8

                default:
                    throw Corrupt(at, $"unsupported pickle opcode 0x{op:x2} ('{Printable(op)}'); " +
                                      "StyleLab reads only the opcodes PyTorch uses for state dicts");
            }
        }
    }

    void Build(object? state, object? target)
    {
        switch (target)
        {
            // OrderedDict.__reduce__ passes the instance's __dict__, e.g. {'_metadata': ...}.
            case PickleDict dict when state is PickleDict attributes:
                foreach (var (key, value) in attributes.Entries)
                    if (key is string name) dict.Attributes[name] = value;
                break;
            case PickleDict when state is null:
                break;
            default:
                throw new WeightFileException(_file,
                    $"the pickle sets the state of a {Describe(target)}, which a state dict never does");
        }
    }

    void SetItem(PickleDict dict, object? key, object? value, long at)
    {
        // Python keys are hashable values; lists and dicts are not, and tuples would compare by reference here.
        if (key is not (string or long or bool or double or BigInteger))
            throw Corrupt(at, $"a dictionary key of type {Describe(key)}");
        dict.Set(key, value);
    }

    PickleDict ToDict(List<object?> items, long at)
    {
        if (items.Count % 2 != 0) throw Corrupt(at, "DICT with an odd number of items");
        var dict = new PickleDict();
        for (int i = 0; i < items.Count; i += 2) SetItem(dict, items[i], items[i + 1], at);
        return dict;
    }

    // ---- the stack -------------------------------------------------------------------------

    void Push(object? value) => _stack.Add(value);

    object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _stack.Count == _marks.Peek()))
            throw Corrupt(_position, "the pickle pops more values than it pushed");
        object? value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    object? Peek()
    {
        if (_stack.Count == 0) throw Corrupt(_position, "the pickle uses a value it never pushed");
        return _stack[^1];
    }

    T PopAs<T>(string role) => Pop() is T value ? value : throw Corrupt(_position, $"the {role} has the wrong type");

    T PeekAs<T>(string role) => Peek() is T value ? value : throw Corrupt(_position, $"the {role} has the wrong type");

    List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Corrupt(_position, "the pickle closes a MARK it never opened");
        int start = _marks.Pop();
        List<object?> items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    object? MemoGet(long index, long at) =>
        _memo.TryGetValue(index, out object? value) ? value : throw Corrupt(at, $"memo entry {index} is used before it is set");

    // ---- reading ---------------------------------------------------------------------------

    byte ReadByte()
    {
        int b = _stream.ReadByte();
        if (b < 0) throw Truncated();
        _position++;
        return (byte)b;
    }

    byte[] ReadBytes(int count)
    {
        var buffer = new byte[count];
        try
        {
            _stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException)
        {
            throw Truncated();
        }
        _position += count;
        return buffer;
    }

    long ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    long ReadInt64Length(long at)
    {
        long n = BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));
        return n < 0 ? throw Corrupt(at, "a negative length") : n;
    }

    /// <summary>Reads a length-prefixed payload, refusing lengths the file cannot hold before allocating.</summary>
    byte[] ReadPayload(long length, long at)
    {
        if (length > Array.MaxLength) throw Corrupt(at, $"a {length}-byte string, longer than StyleLab can hold");
        if (_stream.CanSeek && length > _stream.Length - _stream.Position) throw Truncated();
        return ReadBytes((int)length);
    }

    string ReadUtf8(long length, long at) => Encoding.UTF8.GetString(ReadPayload(length, at));

    /// <summary>GLOBAL's operands are newline-terminated ASCII lines.</summary>
    string ReadLine()
    {
        var line = new StringBuilder();
        for (byte b = ReadByte(); b != (byte)'\n'; b = ReadByte())
        {
            if (line.Length >= 256) throw Corrupt(_position, "a GLOBAL name longer than 256 characters");
            line.Append((char)b);
        }
        return line.ToString();
    }

    /// <summary>LONG1/LONG4: little-endian two's complement; a long when it fits (sizes, strides, offsets).</summary>
    object ReadLong(int count)
    {
        byte[] bytes = ReadPayload(count, _position);
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }

    // ---- errors ----------------------------------------------------------------------------

    WeightFileException Truncated() =>
        new(_file, $"the file ends in the middle of a pickle (at pickle byte {_position}); it is truncated or not a checkpoint");

    WeightFileException Corrupt(long at, string problem) =>
        new(_file, $"the pickle is malformed at byte {at}: {problem}");

    static char Printable(byte op) => op is >= 0x20 and < 0x7f ? (char)op : '?';

    internal static string Describe(object? value) => value switch
    {
        null => "None",
        string => "str",
        long or BigInteger => "int",
        double => "float",
        bool => "bool",
        byte[] => "bytes",
        object?[] => "tuple",
        List<object?> => "list",
        PickleDict => "dict",
        PickleGlobal g => g.FullName,
        TensorRecord => "tensor",
        StorageReference => "storage",
        _ => value.GetType().Name,
    };
}
