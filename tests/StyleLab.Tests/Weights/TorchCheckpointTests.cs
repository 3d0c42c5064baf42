using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CsCheck;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Weights;

/// <summary>
/// Fixtures come from tools/fixtures/make_checkpoint_fixtures.py (PyTorch 1.13); see that
/// script for what each file holds. No Python is needed here.
/// </summary>
public class TorchCheckpointTests
{
    const string Marker = "/tmp/stylelab-pickle-payload-ran";

    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "checkpoints", name);

    static readonly JsonElement Expected =
        JsonDocument.Parse(File.ReadAllText(Fixture("expected.json"))).RootElement.GetProperty("tensors");

    static readonly Dictionary<string, ScalarType> DTypes = new()
    {
        ["float32"] = ScalarType.Float32, ["float64"] = ScalarType.Float64, ["float16"] = ScalarType.Float16,
        ["bfloat16"] = ScalarType.BFloat16, ["int64"] = ScalarType.Int64, ["int32"] = ScalarType.Int32,
        ["int8"] = ScalarType.Int8, ["uint8"] = ScalarType.Byte, ["bool"] = ScalarType.Bool,
    };

    static void AssertMatchesExpectation(string name, Tensor actual)
    {
        JsonElement expected = Expected.GetProperty(name);
        Assert.Equal(DTypes[expected.GetProperty("dtype").GetString()!], actual.dtype);
        Assert.Equal(expected.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), actual.shape);
        Assert.Equal(DeviceType.CPU, actual.device_type);
        Assert.True(actual.is_contiguous(), $"{name} is not contiguous");
        JsonElement values = expected.GetProperty("values");
        if (is_floating_point(actual))
            Assert.Equal(values.EnumerateArray().Select(v => v.GetDouble()), actual.to_type(ScalarType.Float64).reshape(-1).data<double>().ToArray());
        else
            Assert.Equal(values.EnumerateArray().Select(v => v.GetInt64()), actual.to_type(ScalarType.Int64).reshape(-1).data<long>().ToArray());
    }

    [Theory]
    [InlineData("state_dict.zip.pth")]
    [InlineData("state_dict.legacy.pth")]
    [InlineData("state_dict.protocol4.zip.pth")]
    public void Both_serialisations_load_exact_values_dtypes_and_shapes(string file)
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> stateDict = TorchCheckpoint.Load(Fixture(file));

        Assert.Equal(Expected.EnumerateObject().Select(p => p.Name), stateDict.Keys);
        foreach (var (name, tensor) in stateDict) AssertMatchesExpectation(name, tensor);
    }

    [Fact]
    public void Zip_and_legacy_files_of_one_state_dict_load_identically()
    {
        using var scope = NewDisposeScope();
        var zip = TorchCheckpoint.Load(Fixture("state_dict.zip.pth"));
        var legacy = TorchCheckpoint.Load(Fixture("state_dict.legacy.pth"));

        Assert.Equal(zip.Keys, legacy.Keys);
        foreach (string name in zip.Keys)
        {
            Assert.Equal(zip[name].dtype, legacy[name].dtype);
            Assert.True(Same(zip[name], legacy[name]), name);
        }
    }

    [Theory]
    [InlineData("state_dict.zip.pth")]
    [InlineData("state_dict.legacy.pth")]
    public void Views_sharing_one_storage_become_independent_copies_with_the_right_values(string file)
    {
        using var scope = NewDisposeScope();
        var stateDict = TorchCheckpoint.Load(Fixture(file));
        Tensor baseTensor = stateDict["shared.base"];

        Assert.True(Same(stateDict["shared.transposed"], baseTensor.t()));
        Assert.True(Same(stateDict["shared.slice"], baseTensor[TensorIndex.Slice(1), TensorIndex.Slice(step: 2)]));
        Assert.True(Same(stateDict["window"], linspace(-1, 1, 10)[TensorIndex.Slice(3, 7)]));

        // Writing to one must not change another: the file's aliasing is not carried over.
        baseTensor.fill_(100f);
        Assert.NotEqual(100f, stateDict["shared.transposed"][0, 1].item<float>());
        Assert.NotEqual(100f, stateDict["shared.slice"][0, 0].item<float>());
    }

    [Fact]
    public void The_zip_fixture_really_stores_several_tensors_on_one_storage()
    {
        using var archive = ZipFile.OpenRead(Fixture("state_dict.zip.pth"));
        int storages = archive.Entries.Count(e => e.FullName.Contains("/data/"));
        Assert.True(storages < Expected.EnumerateObject().Count(), $"{storages} storages");
    }

    [Theory]
    [InlineData("wrapped.zip.pth")]     // {'state_dict': ..., 'epoch': 3, 'optimizer': {...}}
    [InlineData("wrapped.legacy.pth")]  // {'model': ..., 'epoch': 7}
    [InlineData("parameters.legacy.pth")] // nn.Parameter values
    public void Training_checkpoints_and_parameters_yield_the_state_dict(string file)
    {
        using var scope = NewDisposeScope();
        var stateDict = TorchCheckpoint.Load(Fixture(file));

        Assert.Equal(["conv.weight", "conv.bias"], stateDict.Keys);
        foreach (var (name, tensor) in stateDict) AssertMatchesExpectation(name, tensor);
    }

    [Fact]
    public void A_stream_that_cannot_seek_loads_too()
    {
        using var scope = NewDisposeScope();
        using var stream = new ForwardOnlyStream(File.ReadAllBytes(Fixture("state_dict.zip.pth")));
        var stateDict = TorchCheckpoint.Load(stream, "download");
        AssertMatchesExpectation("conv.weight", stateDict["conv.weight"]);
    }

    [Theory]
    [InlineData("malicious.raw.pth")]     // a bare pickle, GLOBAL opcode
    [InlineData("malicious.legacy.pth")]  // the legacy torch.save layout around it
    [InlineData("malicious.zip.pth")]     // data.pkl in a zip, STACK_GLOBAL opcode
    public void A_pickle_that_calls_os_system_is_refused_by_name_and_runs_nothing(string file)
    {
        File.Delete(Marker);

        var error = Assert.Throws<WeightFileException>(() => TorchCheckpoint.Load(Fixture(file)));

        Assert.Contains("'os.system'", error.Message);
        Assert.Contains(file, error.Message);
        Assert.Equal(Fixture(file), error.FilePath);
        Assert.False(File.Exists(Marker), "the payload ran");
    }

    [Theory]
    [InlineData("builtins", "eval")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    [InlineData("collections", "OrderedDictX")]
    public void Any_global_outside_the_allow_list_is_refused_by_name(string module, string name)
    {
        // {'weight': module.name('1')} as protocol 2.
        byte[] pickle = [0x80, 2, (byte)'}', .. Ascii("X\u0006\0\0\0weight"), (byte)'c', .. Ascii($"{module}\n{name}\n"),
                         .. Ascii("X\u0001\0\0\0" + "1"), 0x85, (byte)'R', (byte)'s', (byte)'.'];

        var error = Assert.Throws<WeightFileException>(() => TorchCheckpoint.Load(new MemoryStream(pickle), "evil.pth"));

        Assert.Contains($"'{module}.{name}'", error.Message);
        Assert.Contains("evil.pth", error.Message);
    }

    [Theory]
    [InlineData("truncated.zip.pth", "corrupt or truncated")]
    [InlineData("truncated.legacy.pth", "truncated")]
    [InlineData("truncated_pickle.legacy.pth", "truncated")]
    [InlineData("corrupt.zip.pth", "CRC-32")]
    [InlineData("missing_storage.zip.pth", "'state_dict.zip/data/0'")]
    [InlineData("storage_too_small.zip.pth", "too small")]
    [InlineData("unsupported_opcode.zip.pth", "unsupported pickle opcode 0x82")]
    [InlineData("not_a_checkpoint.pth", "not a PyTorch checkpoint")]
    public void A_broken_file_is_a_WeightFileException_naming_the_file_and_the_problem(string file, string problem)
    {
        var error = Assert.Throws<WeightFileException>(() => TorchCheckpoint.Load(Fixture(file)));

        Assert.Contains(file, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("state_dict.zip.pth")]
    [InlineData("state_dict.legacy.pth")]
    public void Any_truncation_is_a_WeightFileException(string file)
    {
        byte[] bytes = File.ReadAllBytes(Fixture(file));
        Gen.Int[0, bytes.Length - 1].Sample(length =>
        {
            Assert.Throws<WeightFileException>(() => TorchCheckpoint.Load(new MemoryStream(bytes, 0, length), file));
        }, iter: 300);
    }

    [Theory]
    [InlineData("state_dict.zip.pth")]
    [InlineData("state_dict.legacy.pth")]
    public void Any_damaged_byte_loads_or_is_a_WeightFileException(string file)
    {
        byte[] original = File.ReadAllBytes(Fixture(file));
        Gen.Select(Gen.Int[0, original.Length - 1], Gen.Byte).Sample((position, value) =>
        {
            byte[] damaged = (byte[])original.Clone();
            damaged[position] = value;
            using var scope = NewDisposeScope();
            try
            {
                TorchCheckpoint.Load(new MemoryStream(damaged), file);
            }
            catch (WeightFileException)
            {
            }
        }, iter: 500);
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>Like a network download: it can only be read forwards.</summary>
    sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
