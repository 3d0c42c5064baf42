using System.Numerics;
using StyleLab.Weights;

namespace StyleLab.Tests.Weights;

/// <summary>Opcodes that the checkpoint fixtures do not reach, on pickles written by CPython 3.11.</summary>
public class UnpicklerTests
{
    // pickle.dumps(obj, protocol) for
    //   obj = {'ints': [0, 255, 256, 65535, 65536, -1, 2**31-1, -2**31, 2**40, -2**70],
    //          'floats': [1.5, -0.1, 1e300], 'consts': [None, True, False], 'text': ['é', 'x'*300],
    //          'tuples': [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)]}
    //   obj['same'] = obj['floats']      (protocol 4 also: obj['bytes'] = b'xy')
    // The 300 x's are spliced in between the two halves.
    const string Protocol2Head =
        "80027d7100285804000000696e747371015d7102284b004bff4d00014dffff4a000001004affffffff4affffff7f4a000000808a0600" +
        "00000000018a090000000000000000c0655806000000666c6f61747371035d710428473ff800000000000047bfb999999999999a477e" +
        "37e43c8800759c655806000000636f6e73747371055d7106284e88896558040000007465787471075d7108285802000000c3a9710958" +
        "2c010000";
    const string Protocol2Tail =
        "710a6558060000007475706c6573710b5d710c28294b0185710d4b014b0286710e4b014b024b0387710f284b014b024b034b04747110" +
        "65580400000073616d6571116804752e";
    const string Protocol4Head =
        "800495fc010000000000007d94288c04696e7473945d94284b004bff4d00014dffff4a000001004affffffff4affffff7f4a00000080" +
        "8a060000000000018a090000000000000000c0658c06666c6f617473945d9428473ff800000000000047bfb999999999999a477e37e4" +
        "3c8800759c658c06636f6e737473945d94284e8889658c0474657874945d94288c02c3a994582c010000";
    const string Protocol4Tail =
        "94658c067475706c6573945d9428294b0185944b014b0286944b014b024b038794284b014b024b034b047494658c0473616d65946804" +
        "8c056279746573944302787994752e";

    static object? Unpickle(string head, string tail)
    {
        byte[] bytes = [.. Convert.FromHexString(head), .. Enumerable.Repeat((byte)'x', 300), .. Convert.FromHexString(tail)];
        return new Unpickler(new MemoryStream(bytes), "test.pkl").Load();
    }

    [Theory]
    [InlineData(Protocol2Head, Protocol2Tail)]
    [InlineData(Protocol4Head, Protocol4Tail)]
    public void Reads_the_plain_data_cpython_writes(string head, string tail)
    {
        var dict = Assert.IsType<PickleDict>(Unpickle(head, tail));
        object? Get(string key) => dict.TryGet(key, out object? value) ? value : throw new KeyNotFoundException(key);

        Assert.Equal(new object[] { 0L, 255L, 256L, 65535L, 65536L, -1L, int.MaxValue * 1L, int.MinValue * 1L, 1L << 40, -BigInteger.Pow(2, 70) },
                     Assert.IsType<List<object?>>(Get("ints")));
        Assert.Equal(new object[] { 1.5, -0.1, 1e300 }, Assert.IsType<List<object?>>(Get("floats")));
        Assert.Equal(new object?[] { null, true, false }, Assert.IsType<List<object?>>(Get("consts")));
        Assert.Equal(new object[] { "é", new string('x', 300) }, Assert.IsType<List<object?>>(Get("text")));
        var tuples = Assert.IsType<List<object?>>(Get("tuples"));
        Assert.Equal([0, 1, 2, 3, 4], tuples.Select(t => Assert.IsType<object?[]>(t).Length));
        Assert.Equal(new object[] { 1L, 2L, 3L, 4L }, (object?[])tuples[4]!);
        Assert.Same(Get("floats"), Get("same"));   // the memo preserves sharing
        if (head == Protocol4Head) Assert.Equal("xy"u8.ToArray(), Get("bytes"));
    }

    [Fact]
    public void Long_memo_indices_and_self_reference_work()
    {
        // ] LONG_BINPUT 65536 ( BININT1 5 LONG_BINGET 65536 APPENDS STOP  →  l = [5, l]
        byte[] pickle = [0x80, 2, (byte)']', (byte)'r', 0, 0, 1, 0, (byte)'(', (byte)'K', 5, (byte)'j', 0, 0, 1, 0, (byte)'e', (byte)'.'];
        var list = Assert.IsType<List<object?>>(new Unpickler(new MemoryStream(pickle), "test.pkl").Load());
        Assert.Equal(5L, list[0]);
        Assert.Same(list, list[1]);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 2, (byte)'0', (byte)'.' }, "pops more values")]          // POP on an empty stack
    [InlineData(new byte[] { 0x80, 2, (byte)'h', 7, (byte)'.' }, "memo entry 7")]            // BINGET before BINPUT
    [InlineData(new byte[] { 0x80, 2, (byte)'e', (byte)'.' }, "MARK it never opened")]        // APPENDS without MARK
    [InlineData(new byte[] { 0x80, 2, (byte)'X', 255, 255, 255, 15 }, "truncated")]           // a 256 MB string in a 7-byte file
    [InlineData(new byte[] { 0x80, 2, (byte)'I', (byte)'1', (byte)'\n', (byte)'.' }, "unsupported pickle opcode 0x49")] // protocol 0 INT
    public void Malformed_pickles_are_WeightFileExceptions(byte[] pickle, string problem)
    {
        var error = Assert.Throws<WeightFileException>(() => new Unpickler(new MemoryStream(pickle), "bad.pkl").Load());
        Assert.Contains("bad.pkl", error.Message);
        Assert.Contains(problem, error.Message);
    }
}
