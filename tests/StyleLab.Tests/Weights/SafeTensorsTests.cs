using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Weights;

public class SafeTensorsTests
{
    [Fact]
    public void Round_trip_keeps_names_dtypes_shapes_values_and_metadata()
    {
        var path = TestPaths.TempFile(".safetensors");
        var tensors = new Dictionary<string, Tensor>
        {
            ["conv.weight"] = torch.randn(4, 3, 3, 3),
            ["double"] = torch.randn(5, dtype: ScalarType.Float64),
            ["half"] = torch.randn(2, 2).to(ScalarType.Float16),
            ["bf16"] = torch.randn(3).to(ScalarType.BFloat16),
            ["steps"] = torch.tensor(new long[] { 1, -2, 3 }),
            ["mask"] = torch.tensor(new[] { true, false }),
            ["bytes"] = torch.tensor(new byte[] { 0, 7, 255 }),
            ["scalar"] = torch.tensor(3.5f),
            ["empty"] = torch.zeros(0, 4),
            ["view"] = torch.arange(12f).view(3, 4).t(), // non-contiguous
        };
        try
        {
            SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["preprocessing"] = "caffe" });
            var loaded = SafeTensors.Load(path, out var metadata);
            Assert.Equal("caffe", metadata["preprocessing"]);
            Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
            foreach (var (name, expected) in tensors)
            {
                Assert.Equal(expected.dtype, loaded[name].dtype);
                Assert.Equal(expected.shape, loaded[name].shape);
                Assert.True(expected.eq(loaded[name]).all().item<bool>(), name);
            }
            // The data section starts 8-byte aligned, as the format requires.
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(0, BitConverter.ToInt64(bytes, 0) % 8);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Truncated_file_error_names_the_file_and_the_tensor()
    {
        var path = TestPaths.TempFile(".safetensors");
        try
        {
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = torch.ones(100), ["b"] = torch.ones(100) });
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^50]);
            var e = Assert.Throws<WeightFileException>(() => SafeTensors.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("truncated", e.Message);
            Assert.Contains("'b'", e.Message);

            File.WriteAllBytes(path, bytes[..5]);
            e = Assert.Throws<WeightFileException>(() => SafeTensors.Load(path));
            Assert.Contains("truncated", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}")]
    [InlineData("{\"a\": {\"dtype\": \"Q4\", \"shape\": [1], \"data_offsets\": [0, 1]}}")]
    public void Corrupt_headers_are_reported_not_crashed_on(string header)
    {
        var path = TestPaths.TempFile(".safetensors");
        try
        {
            var json = System.Text.Encoding.UTF8.GetBytes(header);
            File.WriteAllBytes(path, [.. BitConverter.GetBytes((long)json.Length), .. json, .. new byte[16]]);
            var e = Assert.Throws<WeightFileException>(() => SafeTensors.Load(path));
            Assert.Contains(path, e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Missing_file_is_a_clear_error() =>
        Assert.Contains("not found", Assert.Throws<WeightFileException>(() => SafeTensors.Load("/nonexistent/x.safetensors")).Message);
}

public class StateDictFileTests
{
    [Fact]
    public void Formats_are_recognised_by_content_not_extension()
    {
        var renamed = TestPaths.TempFile(".bin");
        try
        {
            SafeTensors.Save(renamed, new Dictionary<string, Tensor> { ["w"] = torch.ones(2) });
            Assert.Equal(WeightFormat.SafeTensors, StateDictFile.Detect(renamed));
            Assert.Equal(2, StateDictFile.Load(renamed)["w"].numel());

            File.WriteAllText(renamed, "hello");
            var e = Assert.Throws<WeightFileException>(() => StateDictFile.Load(renamed));
            Assert.Contains(renamed, e.Message);
        }
        finally { File.Delete(renamed); }

        Assert.Equal(WeightFormat.Pth, StateDictFile.Detect(TestPaths.Fixture("checkpoints", "state_dict.zip.pth")));
        Assert.Equal(WeightFormat.PthLegacy, StateDictFile.Detect(TestPaths.Fixture("checkpoints", "state_dict.legacy.pth")));
        Assert.Null(StateDictFile.Detect(TestPaths.Fixture("checkpoints", "not_a_checkpoint.pth")));
    }
}
