using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// The legacy serialisation of <c>torch.save</c> (PyTorch 0.4–1.5, and later versions with
/// <c>_use_new_zipfile_serialization=False</c>): five consecutive sections in one stream.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>a pickled magic number, <c>0x1950a86a20f9469cfc6c</c>;</item>
/// <item>a pickled protocol version, <c>1001</c>;</item>
/// <item>a pickled dict of system information (<c>little_endian</c>, type sizes);</item>
/// <item>the object itself, whose storages are persistent ids
/// <c>('storage', storage_type, key, location, numel, view_metadata)</c>;</item>
/// <item>a pickled list of storage keys, then for each key its element count (int64) and raw data.</item>
/// </list>
/// The storage bytes come after the pickle that describes the tensors, so tensors are
/// assembled only once every storage has been read.
/// </remarks>
internal static class LegacyCheckpoint
{
    static readonly BigInteger MagicNumber = BigInteger.Parse("1950a86a20f9469cfc6c", NumberStyles.HexNumber);
    const long ProtocolVersion = 1001;

    public static Dictionary<string, Tensor> Load(Stream stream, string file)
    {
        object? magic = new Unpickler(stream, file).Load();
        if (magic is not BigInteger number || number != MagicNumber)
            throw new WeightFileException(file, "the file is a pickle but not a PyTorch checkpoint (it lacks torch.save's magic number)");
        if (new Unpickler(stream, file).Load() is not ProtocolVersion)
            throw new WeightFileException(file, $"the legacy checkpoint's protocol version is not {ProtocolVersion}");
        bool bigEndian = new Unpickler(stream, file).Load() is PickleDict sysInfo
                         && sysInfo.TryGet("little_endian", out object? little) && little is false;

        var roots = new Dictionary<string, StorageReference>();
        object? root = new Unpickler(stream, file, pid => PersistentLoad(pid, roots, file)).Load();
        var storages = ReadStorages(stream, roots, bigEndian, file);

        return TorchCheckpoint.Assemble(root, file, storage =>
            storages.TryGetValue(storage.Key, out Tensor? data)
                ? data
                : throw new WeightFileException(file, $"the storage record '{storage.Key}' that the pickle refers to is missing from the data section"));
    }

    /// <summary>
    /// Registers the whole storage under its key and returns the part tensors see: all of it,
    /// or for <c>view_metadata = (view_key, offset, size)</c> that window.
    /// </summary>
    static StorageReference PersistentLoad(object? pid, Dictionary<string, StorageReference> roots, string file)
    {
        if (pid is not object?[] { Length: 6 } id || id[0] is not "storage" || id[2] is not string key
            || id[4] is not long count || count < 0 || !TorchGlobals.TryGetStorageType(id[1], out ScalarType dtype))
            throw new WeightFileException(file, "the pickle has a persistent id that is not a storage reference " +
                                                "('storage', type, key, location, numel, view_metadata)");
        var whole = new StorageReference(key, dtype, count);
        if (roots.TryGetValue(key, out StorageReference? known) && known != whole)
            throw new WeightFileException(file, $"storage '{key}' is described twice, differently");
        roots[key] = whole;

        switch (id[5])
        {
            case null:
                return whole;
            case object?[] { Length: 3 } view when view[1] is long offset && view[2] is long size
                                                  && offset >= 0 && size >= 0 && offset <= count - size:
                return whole with { ElementCount = size, ElementOffset = offset };
            default:
                throw new WeightFileException(file, $"storage '{key}' has a view outside it");
        }
    }

    static Dictionary<string, Tensor> ReadStorages(Stream stream, Dictionary<string, StorageReference> roots, bool bigEndian, string file)
    {
        if (new Unpickler(stream, file).Load() is not List<object?> keys)
            throw new WeightFileException(file, "the list of storage keys after the pickle is missing or malformed");
        var storages = new Dictionary<string, Tensor>();
        Span<byte> header = stackalloc byte[8];
        foreach (object? item in keys)
        {
            if (item is not string key || !roots.TryGetValue(key, out StorageReference? storage))
                throw new WeightFileException(file, $"the data section holds storage '{item}', which the pickle never refers to");
            if (stream.ReadAtLeast(header, 8, throwOnEndOfStream: false) < 8)
                throw new WeightFileException(file, $"the file ends before storage '{key}'; it is truncated");
            long count = BinaryPrimitives.ReadInt64LittleEndian(header);
            if (bigEndian) count = BinaryPrimitives.ReverseEndianness(count);
            if (count != storage.ElementCount)
                throw new WeightFileException(file, $"storage '{key}' has {count} elements in the data section but {storage.ElementCount} in the pickle");
            long needed = StorageData.ByteLength(storage, file);
            if (needed > stream.Length - stream.Position)
                throw new WeightFileException(file, $"the file ends inside storage '{key}' ({needed} bytes needed, " +
                                                    $"{stream.Length - stream.Position} left); it is truncated");
            storages[key] = StorageData.Read(stream, count, storage.DType, bigEndian, file, key);
        }
        return storages;
    }
}
