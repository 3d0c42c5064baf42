using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using StyleLab.Imaging;
using StyleLab.Runtime;
using StyleLab.Tests.Imaging;
using StyleLab.Weights;

namespace StyleLab.Tests.HostileInput;

/// <summary>
/// What every reader a user hands a file to promises: a device, FIFO or folder is refused by name before it
/// is opened, a zip bomb is refused from its directory, and malformed headers are errors in StyleLab's words
/// naming the file.
/// </summary>
[Trait("Category", "HostileInput")]
public class ReaderHostileTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("stylelab-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static string Checkpoint(string name) => TestPaths.Fixture("checkpoints", name);

    /// <summary>The readers, each as the exception type it may throw and a call on a path.</summary>
    public static TheoryData<string> Readers => ["image", "safetensors", "pth", "state-dict", "tflite"];

    static Exception Read(string reader, string path) => reader switch
    {
        "image" => Assert.Throws<ImageFileException>(() => ImageIO.Load(path)),
        "safetensors" => Assert.Throws<WeightFileException>(() => SafeTensors.Load(path)),
        "pth" => Assert.Throws<WeightFileException>(() => TorchCheckpoint.Load(path)),
        "state-dict" => Assert.Throws<WeightFileException>(() => StateDictFile.Load(path)),
        "tflite" => Assert.Throws<WeightFileException>(() => TfliteModel.Load(path)),
        _ => throw new ArgumentOutOfRangeException(nameof(reader)),
    };

    [SkippableTheory]
    [MemberData(nameof(Readers))]
    public void A_device_that_never_ends_is_refused_by_name_at_once(string reader)
    {
        Skip.IfNot(OperatingSystem.IsLinux() && File.Exists("/dev/zero"), "needs Linux's /dev/zero");
        var clock = Stopwatch.StartNew();
        var error = Read(reader, "/dev/zero");
        Assert.Contains("/dev/zero", error.Message);
        Assert.Contains("character device", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [SkippableTheory]
    [MemberData(nameof(Readers))]
    public void A_fifo_is_refused_without_waiting_for_a_writer(string reader)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "mkfifo is POSIX");
        string fifo = Path.Combine(_folder, "pipe.png");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        // Opening a FIFO blocks until a writer appears: run the reader on a task so a regression fails, not hangs.
        var read = Task.Run(() => Read(reader, fifo));
        Assert.True(read.Wait(TimeSpan.FromSeconds(10)), "the reader blocked on a FIFO");
        Assert.Contains("FIFO", read.Result.Message);
        Assert.Contains(fifo, read.Result.Message);
    }

    [Fact]
    public void An_endless_stream_is_cut_off_at_the_image_byte_cap()
    {
        using var endless = new EndlessStream();
        var error = Assert.Throws<ImageFileException>(() =>
            ImageIO.Load(endless, "endless", new ImageLoadOptions { MaxFileBytes = 1 << 20 }));
        Assert.Equal(ImageFileProblem.TooLarge, error.Problem);
        Assert.InRange(endless.Position, 1 << 20, (1 << 20) + (1 << 17));
    }

    /// <summary>A genuine checkpoint with one more record: <paramref name="megabytes"/> MB of zeros, deflated to a few hundred kB.</summary>
    string ZipBomb(int megabytes)
    {
        string path = Path.Combine(_folder, "bomb.pth");
        File.Copy(Checkpoint("state_dict.zip.pth"), path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var top = zip.Entries.First(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).FullName[..^"data.pkl".Length];
            using var stream = zip.CreateEntry(top + "padding", CompressionLevel.Optimal).Open();
            var zeros = new byte[1 << 20];
            for (int i = 0; i < megabytes; i++) stream.Write(zeros);
        }
        return path;
    }

    [Fact]
    public void A_zip_bomb_is_refused_from_its_central_directory_before_anything_is_inflated()
    {
        string bomb = ZipBomb(100);
        Assert.True(new FileInfo(bomb).Length < 1 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<WeightFileException>(() => TorchCheckpoint.Load(bomb));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(bomb, error.Message);
        Assert.Contains("zip bomb", error.Message);
        Assert.True(allocated < 8 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_zip_within_the_decompression_budget_still_loads()
    {
        var tensors = TorchCheckpoint.Load(ZipBomb(8));
        Assert.NotEmpty(tensors);
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Fact]
    public void A_zip_record_that_inflates_past_its_declared_size_is_stopped_while_inflating()
    {
        using var record = new ChecksummedReadStream(new MemoryStream(new byte[4096]), 1000, () => new WeightFileException("f.pth", "too long"));
        Assert.Throws<WeightFileException>(() => record.CopyTo(Stream.Null));
    }

    [Fact]
    public void The_decompression_budget_follows_the_memory_budget()
    {
        using var _ = MemoryBudget.Use(new MemoryBudget(4 << 20));
        var error = Assert.Throws<WeightFileException>(() => TorchCheckpoint.Load(ZipBomb(8)));
        Assert.Contains("memory budget", error.Message);
    }

    static string SafeTensorsFile(string folder, string header, int dataBytes = 0)
    {
        string path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, json.Length);
        json.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("""{"__metadata__":{"step":3}}""", "metadata entry 'step' is not a string")]
    [InlineData("""{"__metadata__":[1,2]}""", "__metadata__ is not a JSON object")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "twice")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}""", "tensor 'a' declares shape [4611686018427387904,4]")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}""", "tensor 'a'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[0,4611686018427387904,4611686018427387904],"data_offsets":[0,0]}}""", "tensor 'a'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}""", "tensor 'a' has a malformed header entry")]
    [InlineData("""{"a":{"dtype":"F32","shape":["x"],"data_offsets":[0,4]}}""", "tensor 'a' has a malformed header entry")]
    [InlineData("""{"a":7}""", "tensor 'a' has a malformed header entry")]
    public void Malformed_safetensors_headers_are_weight_file_errors_naming_the_file_and_problem(string header, string expected)
    {
        string path = SafeTensorsFile(_folder, header, dataBytes: 4);
        var error = Assert.Throws<WeightFileException>(() => SafeTensors.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_flatbuffers_offset_that_overflows_is_a_weight_file_error()
    {
        // Found by fuzzing the TFLite reader (an OverflowException escaped): a root table whose one field, a
        // sub-table offset, points 2³¹ − 16 bytes on. Root offset 12; vtable at 4 (size 6, table size 8, field 0 at +4).
        var file = new byte[20];
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(0), 12);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(4), 6);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), 4);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(12), 12 - 4);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), 0x7FFF_FFF0);

        var error = Assert.Throws<WeightFileException>(() => FlatBufferTable.Root(file, "model.tflite").Table(0));
        Assert.Contains("model.tflite", error.Message);
        Assert.Contains("outside the 20-byte file", error.Message);
    }

    [Fact]
    public void A_tfjs_manifest_that_names_a_variable_twice_or_overflows_a_shape_is_a_weight_file_error()
    {
        File.WriteAllText(Path.Combine(_folder, TfjsCheckpoint.ManifestName),
            """{"v":{"filename":"v","shape":[1]},"v":{"filename":"v","shape":[1]}}""");
        File.WriteAllBytes(Path.Combine(_folder, "v"), new byte[4]);
        Assert.Contains("twice", Assert.Throws<WeightFileException>(() => TfjsCheckpoint.Load(_folder)).Message);

        File.WriteAllText(Path.Combine(_folder, TfjsCheckpoint.ManifestName),
            """{"v":{"filename":"v","shape":[4611686018427387904,4]}}""");
        File.WriteAllBytes(Path.Combine(_folder, "v"), []);
        Assert.Contains("variable 'v'", Assert.Throws<WeightFileException>(() => TfjsCheckpoint.Load(_folder)).Message);
    }

    [Fact]
    public void An_image_too_big_for_the_memory_budget_is_refused_from_its_header()
    {
        using var bitmap = TestImages.Noise(300, 200);
        string path = Path.Combine(_folder, "noise.png");
        File.WriteAllBytes(path, TestImages.Encode(bitmap, SkiaSharp.SKEncodedImageFormat.Png));
        using var _ = MemoryBudget.Use(new MemoryBudget(300 * 200 * 10));
        var error = Assert.Throws<ImageFileException>(() => ImageIO.Load(path));
        Assert.Equal(ImageFileProblem.TooManyPixels, error.Problem);
        Assert.Contains("memory budget", error.Message);
    }

    [Fact]
    public void Sizes_have_an_upper_bound_and_upscaling_is_checked_against_the_pixel_limit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Resize.LongestSide(Resize.MaxSide + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resize.Exact(8, -1));
        using var bitmap = TestImages.Noise(4, 3);
        string path = Path.Combine(_folder, "tiny.png");
        File.WriteAllBytes(path, TestImages.Encode(bitmap, SkiaSharp.SKEncodedImageFormat.Png));
        var error = Assert.Throws<ImageFileException>(() => ImageIO.Load(path, new ImageLoadOptions { Size = Resize.LongestSide(Resize.MaxSide) }));
        Assert.Equal(ImageFileProblem.TooManyPixels, error.Problem);
        Assert.Contains("16384×12288", error.Message);
    }

    sealed class EndlessStream : Stream
    {
        long _position;
        public override int Read(byte[] buffer, int offset, int count) { Array.Clear(buffer, offset, count); _position += count; return count; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
