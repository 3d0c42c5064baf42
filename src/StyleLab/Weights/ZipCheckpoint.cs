using System.IO.Compression;
using StyleLab.Runtime;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// The zip serialisation of <c>torch.save</c> (PyTorch ≥ 1.6): <c>&lt;name&gt;/data.pkl</c> is
/// the pickle, each storage is the record <c>&lt;name&gt;/data/&lt;key&gt;</c>, and
/// <c>&lt;name&gt;/byteorder</c> (when present) says how their bytes are ordered.
/// </summary>
/// <remarks>
/// <para>The top folder's name is whatever the file was first saved as, so it is found, not assumed.</para>
/// <para>Decompression is budgeted, so a zip bomb fails before it is inflated: the sizes the central
/// directory declares must add up to at most <see cref="DecompressedBudget"/> and to at most
/// <see cref="MaxInflation"/> times the archive's own length (PyTorch stores records uncompressed, and
/// float weights hardly compress); while inflating, no record may yield more than it declared.</para>
/// </remarks>
internal static class ZipCheckpoint
{
    const string PickleName = "data.pkl";

    /// <summary>The pickle of a state dict is its table of contents: megabytes at most.</summary>
    const long MaxPickleBytes = 256L << 20;

    /// <summary>How many times its own size an archive may inflate to, beyond <see cref="SmallArchiveAllowance"/>.</summary>
    const long MaxInflation = 100;

    /// <summary>Below this many decompressed bytes the inflation ratio is not checked (small test files of zeros).</summary>
    const long SmallArchiveAllowance = 64L << 20;

    /// <summary>The most bytes all records of one archive may decompress to: StyleLab's memory budget.</summary>
    static long DecompressedBudget => MemoryBudget.Current.Bytes;

    public static Dictionary<string, Tensor> Load(Stream stream, string file)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        CheckDeclaredSizes(archive, stream.Length, file);
        ZipArchiveEntry pickle = archive.Entries.FirstOrDefault(IsTopLevelPickle)
            ?? throw new WeightFileException(file, $"the zip archive has no <folder>/{PickleName}, so it is not a PyTorch checkpoint");
        string folder = pickle.FullName[..^PickleName.Length];
        bool bigEndian = ReadByteOrder(archive, folder, file);

        var root = new Unpickler(ReadAll(pickle, file), file, pid => PersistentLoad(pid, file)).Load();
        return TorchCheckpoint.Assemble(root, file, storage => ReadStorage(archive, folder + "data/" + storage.Key, storage, bigEndian, file));
    }

    static void CheckDeclaredSizes(ZipArchive archive, long archiveLength, string file)
    {
        Int128 declared = 0;
        foreach (var entry in archive.Entries) declared += entry.Length;
        long allowed = Math.Min(DecompressedBudget, Math.Max(SmallArchiveAllowance, archiveLength * MaxInflation));
        if (declared > allowed)
            throw new WeightFileException(file,
                $"the zip archive's records declare {declared} bytes in all, more than StyleLab inflates from a {archiveLength}-byte archive " +
                $"(at most {allowed} bytes: {MaxInflation}× its size, within the memory budget of {DecompressedBudget} bytes); it looks like a zip bomb");
    }

    /// <summary>A record's data, failing as soon as it inflates past the size its directory entry declares.</summary>
    static ChecksummedReadStream OpenRecord(ZipArchiveEntry entry, string file) =>
        new(entry.Open(), entry.Length, () => new WeightFileException(file,
            $"the zip record '{entry.FullName}' inflates to more than the {entry.Length} bytes its directory entry declares; it looks like a zip bomb"));

    static bool IsTopLevelPickle(ZipArchiveEntry entry) =>
        entry.FullName.EndsWith("/" + PickleName, StringComparison.Ordinal) &&
        entry.FullName.IndexOf('/') == entry.FullName.Length - PickleName.Length - 1;

    static bool ReadByteOrder(ZipArchive archive, string folder, string file)
    {
        // Files from before PyTorch 1.10 have no byteorder record; they were little-endian.
        ZipArchiveEntry? entry = archive.GetEntry(folder + "byteorder");
        if (entry is null) return false;
        using var data = OpenRecord(entry, file);
        string text = System.Text.Encoding.ASCII.GetString(RegularFile.ReadAll(data, 64, TooLong(entry, file)));
        return text.Trim() switch
        {
            "little" => false,
            "big" => true,
            var other => throw new WeightFileException(file, $"the byteorder record says '{other}', expected 'little' or 'big'"),
        };
    }

    static MemoryStream ReadAll(ZipArchiveEntry entry, string file)
    {
        using var data = OpenRecord(entry, file);
        var bytes = RegularFile.ReadAll(data, MaxPickleBytes, TooLong(entry, file));
        VerifyChecksum(entry, data, file);
        return new MemoryStream(bytes, writable: false);
    }

    static Func<string, Exception> TooLong(ZipArchiveEntry entry, string file) =>
        problem => new WeightFileException(file, $"the zip record '{entry.FullName}' is too long: {problem}");

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
        using var data = OpenRecord(entry, file);
        Tensor tensor = StorageData.Read(data, storage.ElementCount, storage.DType, bigEndian, file, name);
        data.CopyTo(Stream.Null);   // any bytes past the storage still count towards the checksum
        VerifyChecksum(entry, data, file);
        return tensor;
    }
}
