using CsCheck;
using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Arbitrary;

/// <summary>The TFLite reader against an independent Python walk of the same files (tensor facts in the golden JSON).</summary>
public class TfliteModelTests
{
    static TfliteModel ModelOf(string name) =>
        TfliteModel.Load(name.StartsWith("transformer/") ? MagentaGolden.TransformerPath! : MagentaGolden.PredictorPath!);

    public static TheoryData<string> GoldenTensors() =>
        new(MagentaGolden.Json["tensors"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));

    [SkippableTheory]
    [MemberData(nameof(GoldenTensors))]
    public void Tensors_read_as_the_independent_reader_reads_them(string name)
    {
        Skip.If(MagentaGolden.PredictorPath is null || MagentaGolden.TransformerPath is null, "../shared magenta-arbitrary weights are absent");
        var facts = MagentaGolden.Json["tensors"]!.AsArray().First(t => t!["name"]!.GetValue<string>() == name)!;
        var model = ModelOf(name);
        var tensor = model.Tensor(name);
        Assert.Equal((int)tensor.Type, facts["type"]!.GetValue<int>());
        Assert.Equal(facts["shape"]!.AsArray().Select(d => d!.GetValue<int>()), tensor.Shape);
        Assert.Equal(facts["scaleCount"]!.GetValue<int>(), tensor.Quantization?.Scale.Length ?? 0);
        if (tensor.Quantization is { } q)
        {
            Assert.Equal(facts["scale"]!.AsArray().Select(s => s!.GetValue<float>()), q.Scale.Take(4));
            Assert.Equal(facts["zeroPoint"]!.AsArray().Select(z => z!.GetValue<long>()), q.ZeroPoint.Take(4));
            Assert.Equal(facts["axis"]!.GetValue<int>(), q.QuantizedDimension);
        }
        using var scope = NewDisposeScope();
        var raw = model.Raw(tensor).to(ScalarType.Float64).flatten();
        var values = model.Dequantize(tensor).flatten();
        var expectedRaw = facts["raw"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var expectedValues = facts["dequantized"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        for (int i = 0; i < expectedRaw.Length; i++)
        {
            Assert.Equal(expectedRaw[i], raw[i].item<double>());
            Assert.Equal(expectedValues[i], values[i].item<float>(), 1e-6 * Math.Max(1, Math.Abs(expectedValues[i])));
        }
        double sum = values.to(ScalarType.Float64).sum().item<double>(), absSum = values.to(ScalarType.Float64).abs().sum().item<double>();
        Assert.Equal(facts["sum"]!.GetValue<double>(), sum, 1e-5 * Math.Max(1, facts["absSum"]!.GetValue<double>()));
        Assert.Equal(facts["absSum"]!.GetValue<double>(), absSum, 1e-5 * Math.Max(1, absSum));
    }

    [SkippableFact]
    public void Dequantisation_is_scale_times_q_minus_zero_point_per_channel()
    {
        Skip.If(MagentaGolden.PredictorPath is null, "../shared magenta-arbitrary weights are absent");
        var model = TfliteModel.Load(MagentaGolden.PredictorPath!);
        var quantised = model.Tensors.Where(t => t.IsConstant && t.Quantization is not null && t.Type is TfliteTensorType.Int8 or TfliteTensorType.Int32).ToList();
        Assert.Contains(quantised, t => t.Quantization!.PerChannel && t.Quantization.QuantizedDimension == 3);   // depthwise kernels
        Assert.Contains(quantised, t => t.Quantization!.PerChannel && t.Quantization.QuantizedDimension == 0);   // conv kernels, biases
        foreach (var tensor in quantised)
        {
            using var scope = NewDisposeScope();
            var q = tensor.Quantization!;
            var raw = model.Raw(tensor).to(ScalarType.Float64);
            var values = model.Dequantize(tensor);
            // Element by element along the quantised dimension, with the scalars of that channel.
            for (int c = 0; c < q.Scale.Length; c++)
            {
                var slice = q.PerChannel ? raw.select(q.QuantizedDimension, c) : raw;
                var expected = (slice - q.ZeroPoint[c]) * q.Scale[c];
                var actual = (q.PerChannel ? values.select(q.QuantizedDimension, c) : values).to(ScalarType.Float64);
                Assert.True(actual.allclose(expected, rtol: 1e-6, atol: 1e-12), $"{tensor.Name} channel {c}");
            }
        }
    }

    [SkippableFact]
    public void Operators_are_listed_in_execution_order_with_their_options()
    {
        Skip.If(MagentaGolden.PredictorPath is null, "../shared magenta-arbitrary weights are absent");
        var model = TfliteModel.Load(MagentaGolden.PredictorPath!);
        Assert.Equal(66, model.Operators.Count);
        Assert.Equal(TfliteOperatorCode.Quantize, model.Operators[0].Code);
        Assert.Equal(TfliteOperatorCode.Dequantize, model.Operators[^1].Code);
        var stem = model.Operators[1];
        Assert.Equal(TfliteOperatorCode.Conv2D, stem.Code);
        Assert.Equal(2, stem.Options!.Int32(2));        // stride_h
        Assert.Equal(0, stem.Options.Enum(0));          // SAME
        Assert.Equal(3, stem.Options.Enum(3));          // fused ReLU6
        Assert.Equal("style_image", model.Tensors[model.Inputs[0]].Name);
        Assert.Equal(new[] { 1, 1, 1, 100 }, model.Tensors[model.Outputs[0]].Shape);
    }

    [Fact]
    public void Not_a_TFLite_file_is_a_named_error()
    {
        var e = Assert.Throws<WeightFileException>(() => TfliteModel.Parse("not a flatbuffer at all"u8.ToArray(), "fake.tflite"));
        Assert.Contains("fake.tflite", e.Message);
        Assert.Contains("TFL3", e.Message);
    }

    [SkippableFact]
    public void Truncated_or_corrupted_files_fail_with_WeightFileException_or_still_parse()
    {
        Skip.If(MagentaGolden.TransformerPath is null, "../shared magenta-arbitrary weights are absent");
        var bytes = File.ReadAllBytes(MagentaGolden.TransformerPath!);
        Gen.Select(Gen.Int[8, bytes.Length - 1], Gen.Int[0, 3]).Sample((cut, mode) =>
        {
            var damaged = mode == 0 ? bytes[..cut] : (byte[])bytes.Clone();
            if (mode > 0) damaged[cut] ^= (byte)(0x55 << (mode - 1));
            try { TfliteModel.Parse(damaged, "damaged.tflite"); }
            catch (WeightFileException e) { return e.FilePath == "damaged.tflite"; }
            return true;
        }, iter: 200);
    }
}
