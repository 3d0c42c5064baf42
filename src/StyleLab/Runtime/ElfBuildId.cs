using System.Buffers.Binary;

namespace StyleLab.Runtime;

/// <summary>
/// Reads the GNU build id of an ELF shared library: a hash the linker writes into a note, so two
/// files with the same id are the same build (offsets of local symbols included).
/// </summary>
/// <remarks>Reads only the headers and notes (a few KiB), not the 450 MB of <c>libtorch_cpu.so</c>.</remarks>
static class ElfBuildId
{
    const uint PtLoad = 1, PtNote = 4, NtGnuBuildId = 3;

    /// <summary>The build id as lower-case hex, or null when the file is not a 64-bit little-endian ELF with one.</summary>
    public static string? TryRead(string path, out long firstLoadAddress)
    {
        firstLoadAddress = -1;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            Span<byte> header = stackalloc byte[64];
            if (file.Read(header) != 64 || header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F'
                || header[4] != 2 || header[5] != 1)
                return null;
            long phoff = BinaryPrimitives.ReadInt64LittleEndian(header[0x20..]);
            int phentsize = BinaryPrimitives.ReadUInt16LittleEndian(header[0x36..]);
            int phnum = BinaryPrimitives.ReadUInt16LittleEndian(header[0x38..]);
            if (phentsize < 56 || phnum is 0 or > 256) return null;
            var table = new byte[phentsize * phnum];
            file.Position = phoff;
            file.ReadExactly(table);
            string? id = null;
            for (int i = 0; i < phnum; i++)
            {
                var ph = table.AsSpan(i * phentsize, phentsize);
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(ph);
                long offset = BinaryPrimitives.ReadInt64LittleEndian(ph[8..]);
                long vaddr = BinaryPrimitives.ReadInt64LittleEndian(ph[16..]);
                long size = BinaryPrimitives.ReadInt64LittleEndian(ph[32..]);
                if (type == PtLoad && firstLoadAddress < 0) firstLoadAddress = vaddr;
                if (type == PtNote && id is null && size is > 0 and <= 1 << 16) id = FindBuildId(file, offset, (int)size);
            }
            return id;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    static string? FindBuildId(FileStream file, long offset, int size)
    {
        var notes = new byte[size];
        file.Position = offset;
        file.ReadExactly(notes);
        for (int at = 0; at + 12 <= size;)
        {
            int nameSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(notes.AsSpan(at));
            int descSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(notes.AsSpan(at + 4));
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(notes.AsSpan(at + 8));
            int desc = at + 12 + Align4(nameSize);
            if (nameSize < 0 || descSize < 0 || desc + descSize > size) return null;
            if (type == NtGnuBuildId && nameSize == 4 && notes.AsSpan(at + 12, 3).SequenceEqual("GNU"u8))
                return Convert.ToHexStringLower(notes, desc, descSize);
            at = desc + Align4(descSize);
        }
        return null;
    }

    static int Align4(int n) => (n + 3) & ~3;
}
