using StyleLab.Weights;

namespace StyleLab.Tests.Weights.Torch7;

/// <summary>Limits that keep a hostile file from exhausting the stack or memory.</summary>
public class Torch7LimitTests
{
    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_not_a_stack_overflow()
    {
        var table = new LuaTable();
        var inner = table;
        for (int i = 0; i < 1_000; i++) { var next = new LuaTable(); inner.Add(1.0, next); inner = next; }
        var bytes = Torch7Writer.Serialise(table);
        var e = Assert.Throws<WeightFileException>(() => Torch7Reader.Load(bytes, "deep.t7"));
        Assert.Contains("deeper than 256", e.Message);
        Assert.NotNull(Torch7Reader.Load(bytes, "deep.t7", new Torch7Options { MaxDepth = 2_000, LongSize = 8 }) as Torch7Table);
    }

    [Fact]
    public void A_storage_longer_than_the_file_is_refused_before_allocating()
    {
        var bytes = Torch7Writer.Serialise(new LuaObject("nn.Sequential", new LuaTable().Add("weight", TorchSharp.torch.ones(3))));
        // The storage's element count is the last long before its 12 bytes of data.
        BitConverter.TryWriteBytes(bytes.AsSpan(bytes.Length - 12 - 8), long.MaxValue / 2);
        var e = Assert.Throws<WeightFileException>(() => Torch7Reader.Load(bytes, "huge.t7", new Torch7Options { LongSize = 8 }));
        Assert.Contains("remain", e.Message);
    }
}
