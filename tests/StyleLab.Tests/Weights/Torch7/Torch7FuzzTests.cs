using CsCheck;
using StyleLab.Weights;

namespace StyleLab.Tests.Weights.Torch7;

/// <summary>
/// Damaged Torch7 files (every truncation, random bit flips) of the real fixtures either read or fail with a
/// <see cref="WeightFileException"/>: no other exception, no hang, no stack overflow, no huge allocation.
/// </summary>
public class Torch7FuzzTests
{
    static List<(string Name, byte[] Bytes)> Files()
    {
        Skip.If(Torch7Files.Folder is null, "../shared/fixtures/torch7 is absent");
        return Directory.GetFiles(Torch7Files.Folder!, "*.t7").Order().Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToList();
    }

    /// <summary>Reads, converts every tensor reached and tries the module mapper: what a loader would do.</summary>
    static void ReadEverything(byte[] bytes, string name)
    {
        try
        {
            var root = Torch7Reader.Load(bytes, name);
            Materialise(root, new HashSet<object>(ReferenceEqualityComparer.Instance));
            try { foreach (var t in Torch7Modules.StateDict(root, name).Values) t.Dispose(); }
            catch (WeightFileException) { }
        }
        catch (WeightFileException e)
        {
            Assert.Equal(name, e.FilePath);
        }
    }

    static void Materialise(object? value, HashSet<object> seen)
    {
        switch (value)
        {
            case Torch7Tensor t when seen.Add(t): t.ToTensor().Dispose(); break;
            case Torch7Object o when seen.Add(o): Materialise(o.Fields, seen); break;
            case Torch7Table t when seen.Add(t):
                foreach (var (k, v) in t.Entries) { Materialise(k, seen); Materialise(v, seen); }
                break;
        }
    }

    [SkippableFact]
    public void Every_truncation_fails_with_a_weight_file_exception()
    {
        foreach (var (name, bytes) in Files())
            for (int length = 0; length < bytes.Length; length++)
            {
                var cut = bytes[..length];
                var e = Record.Exception(() => Torch7Reader.Load(cut, name));
                Assert.True(e is WeightFileException { } w && w.FilePath == name, $"{name} cut to {length} bytes: {e?.ToString() ?? "read without error"}");
            }
    }

    [SkippableFact]
    public void Bit_flips_only_ever_raise_weight_file_exceptions()
    {
        var files = Files();
        Gen.Select(Gen.Int[0, files.Count - 1], Gen.Int[1, 4], Gen.Int[0, int.MaxValue].Array[8], Gen.Int[0, 7].Array[8])
            .Sample((file, flips, positions, bits) =>
            {
                var (name, original) = files[file];
                var bytes = (byte[])original.Clone();
                for (int i = 0; i < flips; i++) bytes[positions[i] % bytes.Length] ^= (byte)(1 << bits[i]);
                ReadEverything(bytes, name);
            }, iter: 4000);
    }

    [SkippableFact]
    public void Overwritten_words_only_ever_raise_weight_file_exceptions()
    {
        // Whole 4-byte words set to extreme values hit the length and count fields a single bit flip rarely makes huge.
        var files = Files();
        int[] extremes = [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 64, 65, int.MaxValue, int.MinValue, 0x7FFF_FFF0];
        Gen.Select(Gen.Int[0, files.Count - 1], Gen.Int[0, int.MaxValue], Gen.Int[0, extremes.Length - 1])
            .Sample((file, position, value) =>
            {
                var (name, original) = files[file];
                var bytes = (byte[])original.Clone();
                int at = position % Math.Max(1, bytes.Length - 3);
                if (bytes.Length >= 4) BitConverter.TryWriteBytes(bytes.AsSpan(at), extremes[value]);
                ReadEverything(bytes, name);
            }, iter: 4000);
    }

    [SkippableFact]
    public void A_zero_stride_view_of_2_to_the_61_elements_is_refused_by_the_memory_budget()
    {
        // Found by the test above (CsCheck seed 85N1Ba2gsPv9 in CI): one word set to 6 turned a tensor into a view with
        // a zero stride whose size was 2⁶¹·3, inside its one-element storage; libtorch then tried to allocate 3.4 EB.
        var files = Files();
        var (name, original) = files[5];
        var bytes = (byte[])original.Clone();
        BitConverter.TryWriteBytes(bytes.AsSpan(1290762221 % Math.Max(1, bytes.Length - 3)), 6);
        ReadEverything(bytes, name);
    }
}
