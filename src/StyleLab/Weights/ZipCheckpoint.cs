using System.IO.Compression;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// The zip serialisation of <c>torch.save</c> (PyTorch ≥ 1.6): <c>&lt;name&gt;/data.pkl</c> is
/// the pickle, each storage is the record <c>&lt;name&gt;/data/&lt;key&gt;</c>, and
/// <c>&lt;name&gt;/byteorder</c> (when present) says how their bytes are ordered.
/// </summary>
/// <remarks>The top folder's name is whatever the file was first saved as, so it is found, not assumed.</remarks>
internal static class ZipCheckpoint
{
    const string PickleName = "data.pkl";

    public static Dictionary<string, Tensor> Load(Stream stream, string file)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        ZipArchiveEntry pickle = archive.Entries.FirstOrDefault(IsTopLevelPickle)
            ?? throw new WeightFileException(file, $"the zip archive has no <folder>/{PickleName}, so it is not a PyTorch checkpoint");
        string folder = pickle.FullName[..^PickleName.Length];
        bool bigEndian = ReadByteOrder(archive, folder, file);

        var root = new Unpickler(ReadAll(pickle, file), file, pid => PersistentLoad(pid, file)).Load();
        return TorchCheckpoint.Assemble(root, file, storage => ReadStorage(archive, folder + "data/" + storage.Key, storage, bigEndian, file));
    }

    static bool IsTopLevelPickle(ZipArchiveEntry entry) =>
        entry.FullName.EndsWith("/" + PickleName, StringComparison.Ordinal) &&
        entry.FullName.IndexOf('/') == entry.FullName.Length - PickleName.Length - 1;

    static bool ReadByteOrder(ZipArchive archive, string folder, string file)
    {
        // Files from before PyTorch 1.10 have no byteorder record; they were little-endian.
        ZipArchiveEntry? entry = archive.GetEntry(folder + "byteorder");
        if (entry is null) return false;
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd().Trim() switch
        {
            "little" => false,
            "big" => true,
            var other => throw new WeightFileException(file, $"the byteorder record says '{other}', expected 'little' or 'big'"),
        };
    }

    static MemoryStream ReadAll(ZipArchiveEntry entry, string file)
    {
        var buffer = new MemoryStream();
        using (var data = new ChecksummedReadStream(entry.Open()))
        {
            data.CopyTo(buffer);
            VerifyChecksum(entry, data, file);
        }
        buffer.Position = 0;
        return buffer;
    }

    /// <summary>Call after reading the whole record.</summary>
    static void VerifyChecksum(ZipArchiveEntry entry, ChecksummedReadStream data, string file)
    {
        if (data.Checksum != entry.Crc32)
            throw new WeightFileException(file, $"the zip record '{entry.FullName}' is corrupt: its CRC-32 does not match its contents");
    }

    /// <summary>The zip format's persistent id: <c>('storage', storage_type, key, location, numel)</c>.</summary>
    static StorageReference PersistentLoad(object? pid, string file)
    {
        if (pid is object?[] { Length: 5 } id && id[0] is "storage" && id[2] is string key && id[4] is long count && count >= 0
            && TorchGlobals.TryGetStorageType(id[1], out ScalarType dtype))
            return new StorageReference(key, dtype, count);
        throw new WeightFileException(file, "the pickle has a persistent id that is not a storage reference " +
                                            "('storage', type, key, location, numel)");
    }

    static Tensor ReadStorage(ZipArchive archive, string name, StorageReference storage, bool bigEndian, string file)
    {
        ZipArchiveEntry entry = archive.GetEntry(name)
            ?? throw new WeightFileException(file, $"the storage record '{name}' that the pickle refers to is missing");
        long needed = StorageData.ByteLength(storage, file);
        if (entry.Length < needed)
            throw new WeightFileException(file, $"the storage record '{name}' holds {entry.Length} bytes, but the pickle needs {needed}");
        using var data = new ChecksummedReadStream(entry.Open());
        Tensor tensor = StorageData.Read(data, storage.ElementCount, storage.DType, bigEndian, file, name);
        data.CopyTo(Stream.Null);   // any bytes past the storage still count towards the checksum
        VerifyChecksum(entry, data, file);
        return tensor;
    }
}
