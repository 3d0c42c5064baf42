using System.IO.Hashing;

namespace StyleLab.Weights;

/// <summary>
/// Passes reads through while computing their CRC-32, so a zip record can be checked against
/// the checksum its header promises.
/// </summary>
/// <remarks>
/// .NET's zip reader does not verify CRC-32s of stored entries, and PyTorch stores its
/// records uncompressed; without this a damaged weight file would load as wrong numbers.
/// A record that inflates to more than <paramref name="limit"/> bytes (the size its central
/// directory entry declares) fails through <paramref name="overflow"/> while it is inflated,
/// so a directory that lies about a zip bomb's size cannot make the reader go on.
/// </remarks>
internal sealed class ChecksummedReadStream(Stream inner, long limit = long.MaxValue, Func<Exception>? overflow = null) : Stream
{
    readonly Crc32 _crc = new();
    long _read;

    /// <summary>The CRC-32 of everything read so far.</summary>
    public uint Checksum => _crc.GetCurrentHashAsUInt32();

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        _read += read;
        if (_read > limit)
            throw overflow?.Invoke() ?? new InvalidDataException($"The stream holds more than the {limit} bytes declared for it.");
        _crc.Append(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
