using System.Runtime.InteropServices;

namespace StyleLab.Runtime;

/// <summary>
/// The readers take only regular files. A device (<c>/dev/zero</c>, <c>/dev/urandom</c>) never ends, a FIFO
/// blocks until someone writes to it, a socket cannot be opened at all: each would hang or exhaust memory,
/// so they are refused by name before they are opened, and what is read is capped.
/// </summary>
public static class RegularFile
{
    /// <summary>
    /// What <paramref name="path"/> is when it is not a regular file ("a character device", "a FIFO (named
    /// pipe)", …, symbolic links followed), or null when it is a regular file or does not exist. Off Linux the
    /// type is not known and null is returned; the readers' byte caps still bound what they read.
    /// </summary>
    public static string? NotRegular(string path)
    {
        if (Directory.Exists(path)) return "a folder";
        if (!OperatingSystem.IsLinux()) return null;
        int mode;
        try { mode = FileTypeBits(path); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
        return mode switch
        {
            -1 or FileTypes.Regular => null,
            FileTypes.CharacterDevice => "a character device",
            FileTypes.BlockDevice => "a block device",
            FileTypes.Fifo => "a FIFO (named pipe)",
            FileTypes.Socket => "a socket",
            FileTypes.Directory => "a folder",
            _ => "not a regular file",
        };
    }

    /// <summary>
    /// Opens <paramref name="path"/> for reading after checking it is a regular file; <paramref name="refuse"/>
    /// turns the problem into the reader's own exception (which names the file).
    /// </summary>
    public static FileStream OpenRead(string path, Func<string, Exception> refuse, int bufferSize = 1 << 16)
    {
        if (NotRegular(path) is { } kind)
            throw refuse($"it is {kind}, not a regular file; StyleLab reads only regular files.");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
    }

    /// <summary>
    /// Reads all of <paramref name="stream"/> but no more than <paramref name="maxBytes"/>: a longer stream
    /// is refused through <paramref name="refuse"/> as soon as it passes the cap, not after it was read.
    /// </summary>
    public static byte[] ReadAll(Stream stream, long maxBytes, Func<string, Exception> refuse)
    {
        if (stream.CanSeek && stream.Length - stream.Position > maxBytes)
            throw refuse($"it is {stream.Length - stream.Position} bytes long, more than the {maxBytes} bytes StyleLab reads from such a file.");
        using var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + n > maxBytes)
                throw refuse($"it holds more than the {maxBytes} bytes StyleLab reads from such a file.");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    /// <summary>Reads the whole file at <paramref name="path"/> (a regular file, at most <paramref name="maxBytes"/>).</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes, Func<string, Exception> refuse)
    {
        using var stream = OpenRead(path, refuse);
        return ReadAll(stream, maxBytes, refuse);
    }

    static class FileTypes
    {
        public const int Fifo = 0x1000, CharacterDevice = 0x2000, Directory = 0x4000, BlockDevice = 0x6000,
            Regular = 0x8000, Socket = 0xC000;
    }

    /// <summary>The S_IFMT bits of the file's mode, or -1 when it cannot be asked (missing, no permission).</summary>
    /// <remarks>
    /// statx(2) rather than stat(2): its struct has the same layout on every Linux architecture
    /// (stx_mode is the 16-bit field at byte 28), where struct stat differs between x64 and arm64.
    /// </remarks>
    static int FileTypeBits(string path)
    {
        const int AtFdCwd = -100;
        const uint StatxType = 0x1;
        var buffer = new byte[256];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0) return -1;
        return BitConverter.ToUInt16(buffer, 28) & 0xF000;
    }

    [DllImport("libc.so.6", EntryPoint = "statx")]
    static extern int Statx(int directoryFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
