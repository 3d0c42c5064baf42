using StyleLab.Weights;

namespace StyleLab.Tests.Weights.Torch7;

/// <summary>The test-only <see cref="Torch7Writer"/> follows the format: real Lua-written files come back byte for byte.</summary>
public class Torch7WriterTests
{
    [SkippableFact]
    public void Writing_what_was_read_reproduces_every_Lua_file_exactly()
    {
        int checkedFiles = 0;
        foreach (var path in Torch7Files.DataFiles)
        {
            // tds containers have their own serialisation, read into plain tables: not written back.
            if (Path.GetFileName(path).StartsWith("tds_", StringComparison.Ordinal)) continue;
            var bytes = File.ReadAllBytes(path);
            var written = Torch7Writer.Serialise(Torch7Reader.Load(bytes, path));
            Assert.True(bytes.AsSpan().SequenceEqual(written), $"{Path.GetFileName(path)}: {written.Length} bytes written, {bytes.Length} read");
            checkedFiles++;
        }
        Skip.If(checkedFiles == 0, "../shared/fixtures/torch7 is absent");
        Assert.True(checkedFiles >= 10);
    }

    [SkippableFact]
    public void A_file_with_four_byte_longs_is_detected_and_reads_the_same()
    {
        var path = Torch7Files.Require("doubletensor.t7");
        var tensor = Assert.IsType<Torch7Tensor>(Torch7Reader.Load(path));
        var four = Torch7Writer.Serialise(tensor, longSize: 4);
        Assert.Equal(new FileInfo(path).Length - 6 * 4, four.Length); // sizes, strides (2 each), offset, storage size: 6 longs of 4 bytes
        var again = Assert.IsType<Torch7Tensor>(Torch7Reader.Load(four, "four-byte longs"));
        Assert.Equal(tensor.Sizes, again.Sizes);
        Assert.Equal(tensor.Storage!.Bytes, again.Storage!.Bytes);
        Assert.Throws<WeightFileException>(() => Torch7Reader.Load(four, "forced", new Torch7Options { LongSize = 8 }));
    }
}
