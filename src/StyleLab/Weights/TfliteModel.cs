using StyleLab.Runtime;
using System.Buffers.Binary;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// A TensorFlow Lite model (a FlatBuffers file, schema <c>tensorflow/lite/schema/schema.fbs</c>): its
/// main subgraph's tensors — constants with their raw bytes and quantisation — and its operators in
/// execution order, enough to rebuild the network in TorchSharp. Only data is read; nothing runs.
/// </summary>
public sealed class TfliteModel
{
    /// <summary>The file the model came from, for messages.</summary>
    public string Source { get; }

    /// <summary>Schema version (3 for every current converter).</summary>
    public uint Version { get; }

    /// <summary>The main subgraph's tensors, by index.</summary>
    public IReadOnlyList<TfliteTensor> Tensors { get; }

    /// <summary>The main subgraph's operators, in execution order.</summary>
    public IReadOnlyList<TfliteOperator> Operators { get; }

    /// <summary>Indices of the subgraph's input tensors.</summary>
    public IReadOnlyList<int> Inputs { get; }

    /// <summary>Indices of the subgraph's output tensors.</summary>
    public IReadOnlyList<int> Outputs { get; }

    readonly Dictionary<string, TfliteTensor> _byName;

    TfliteModel(string source, uint version, TfliteTensor[] tensors, TfliteOperator[] operators, int[] inputs, int[] outputs)
    {
        (Source, Version, Tensors, Operators, Inputs, Outputs) = (source, version, tensors, operators, inputs, outputs);
        _byName = new Dictionary<string, TfliteTensor>();
        foreach (var t in tensors) _byName.TryAdd(t.Name, t);
    }

    /// <summary>Reads a .tflite file. A file that is not TFLite, or is corrupt, is a <see cref="WeightFileException"/>.</summary>
    public static TfliteModel Load(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new WeightFileException(path, "file not found.");
        return Parse(RegularFile.ReadAllBytes(path, Array.MaxLength, problem => new WeightFileException(path, problem)), path);
    }

    /// <summary>Reads a model from bytes; <paramref name="source"/> names it in errors.</summary>
    public static TfliteModel Parse(byte[] bytes, string source)
    {
        // The file identifier "TFL3" follows the root offset.
        if (bytes.Length < 8 || bytes[4] != 'T' || bytes[5] != 'F' || bytes[6] != 'L' || bytes[7] != '3')
            throw new WeightFileException(source, "not a TensorFlow Lite model (no 'TFL3' identifier).");
        var model = FlatBufferTable.Root(bytes, source);
        // Model: 0 version, 1 operator_codes, 2 subgraphs, 3 description, 4 buffers.
        var codes = model.Tables(1).Select(c =>
            // OperatorCode: 0 deprecated_builtin_code (int8, codes < 127), 3 builtin_code (int32, newer files).
            Math.Max((int)c.Int8(0), c.Int32(3))).ToArray();
        var buffers = model.Tables(4);
        var subgraphs = model.Tables(2);
        if (subgraphs.Count == 0) throw new WeightFileException(source, "the model has no subgraph.");
        var graph = subgraphs[0];

        // SubGraph: 0 tensors, 1 inputs, 2 outputs, 3 operators, 4 name.
        var tensors = graph.Tables(0).Select((t, i) => ReadTensor(t, i, buffers, source)).ToArray();
        var operators = graph.Tables(3).Select((op, i) =>
        {
            // Operator: 0 opcode_index, 1 inputs, 2 outputs, 3 builtin_options_type, 4 builtin_options.
            uint opcode = op.UInt32(0);
            if (opcode >= codes.Length) throw new WeightFileException(source, $"operator {i} refers to operator code {opcode}, but there are {codes.Length}.");
            var inputs = op.Int32s(1);
            var outputs = op.Int32s(2);
            foreach (int t in inputs.Concat(outputs))
                if (t < -1 || t >= tensors.Length) throw new WeightFileException(source, $"operator {i} refers to tensor {t}, but there are {tensors.Length}.");
            return new TfliteOperator(i, (TfliteOperatorCode)codes[opcode], inputs, outputs, op.Table(4) is { } o ? new TfliteOptions(o) : null);
        }).ToArray();
        return new TfliteModel(source, model.UInt32(0), tensors, operators, graph.Int32s(1), graph.Int32s(2));
    }

    static TfliteTensor ReadTensor(FlatBufferTable t, int index, IReadOnlyList<FlatBufferTable> buffers, string source)
    {
        // Tensor: 0 shape, 1 type, 2 buffer, 3 name, 4 quantization.
        string name = t.String(3) ?? $"tensor {index}";
        var type = (TfliteTensorType)t.Int8(1);
        uint buffer = t.UInt32(2);
        var data = ReadOnlyMemory<byte>.Empty;
        if (buffer != 0)
        {
            if (buffer >= buffers.Count) throw new WeightFileException(source, $"tensor '{name}' refers to buffer {buffer}, but there are {buffers.Count}.");
            // Buffer: 0 data. (Files over 2 GB keep data outside the FlatBuffer: 1 offset, 2 size; not needed here.)
            data = buffers[(int)buffer].Vector(0, 1);
        }
        TfliteQuantization? quantization = null;
        if (t.Table(4) is { } q && q.Float32s(2) is { Length: > 0 } scale)
        {
            // QuantizationParameters: 0 min, 1 max, 2 scale, 3 zero_point, 4/5 details, 6 quantized_dimension.
            var zeroPoint = q.Int64s(3);
            quantization = new TfliteQuantization(scale, zeroPoint.Length > 0 ? zeroPoint : new long[scale.Length], q.Int32(6));
        }
        var tensor = new TfliteTensor(index, name, t.Int32s(0), type, data, quantization);
        if (data.Length > 0 && tensor.ElementSize is int size && data.Length != tensor.ElementCount * size)
            throw new WeightFileException(source,
                $"tensor '{name}' has shape [{string.Join(",", tensor.Shape)}] of {type} ({tensor.ElementCount * size} bytes) but its buffer has {data.Length} bytes.");
        return tensor;
    }

    /// <summary>The tensor with this name; an error names the model and the tensor.</summary>
    public TfliteTensor Tensor(string name) =>
        _byName.TryGetValue(name, out var t) ? t : throw new WeightFileException(Source, $"tensor '{name}' is missing.");

    /// <summary>Whether a tensor of this name exists.</summary>
    public bool HasTensor(string name) => _byName.ContainsKey(name);

    /// <summary>
    /// A constant tensor's values as float32, in the file's layout (NHWC activations, OHWI conv
    /// kernels, 1HWC depthwise kernels): float16 widened, integers dequantised as
    /// <c>scale · (q − zero_point)</c> (per channel along the quantised dimension when there are
    /// several scales), float32 as is.
    /// </summary>
    public Tensor Dequantize(TfliteTensor tensor)
    {
        if (tensor.Data.Length == 0 && tensor.ElementCount > 0)
            throw new WeightFileException(Source, $"tensor '{tensor.Name}' is not a constant (it has no data).");
        using var scope = NewDisposeScope();
        var raw = Raw(tensor);
        var values = raw.to(ScalarType.Float32);
        if (tensor.Quantization is { } q && tensor.Type is not (TfliteTensorType.Float32 or TfliteTensorType.Float16))
        {
            if (q.Scale.Length != 1 && (q.QuantizedDimension >= tensor.Shape.Length || tensor.Shape[q.QuantizedDimension] != q.Scale.Length))
                throw new WeightFileException(Source,
                    $"tensor '{tensor.Name}' has {q.Scale.Length} scales but dimension {q.QuantizedDimension} of shape [{string.Join(",", tensor.Shape)}] does not match.");
            var view = Enumerable.Repeat(1L, tensor.Shape.Length).ToArray();
            if (q.Scale.Length != 1) view[q.QuantizedDimension] = q.Scale.Length;
            var scale = torch.tensor(q.Scale).view(q.Scale.Length == 1 ? [] : view);
            var zeroPoint = torch.tensor(q.ZeroPoint.Select(z => (float)z).ToArray()).view(q.Scale.Length == 1 ? [] : view);
            values = (values - zeroPoint) * scale;
        }
        return values.MoveToOuterDisposeScope();
    }

    /// <summary>A constant tensor's stored values in its own dtype (int8, uint8, int32, float16, float32, …).</summary>
    public Tensor Raw(TfliteTensor tensor)
    {
        var dtype = tensor.Type switch
        {
            TfliteTensorType.Float32 => ScalarType.Float32,
            TfliteTensorType.Float16 => ScalarType.Float16,
            TfliteTensorType.Int32 => ScalarType.Int32,
            TfliteTensorType.Int64 => ScalarType.Int64,
            TfliteTensorType.Int8 => ScalarType.Int8,
            TfliteTensorType.UInt8 => ScalarType.Byte,
            TfliteTensorType.Int16 => ScalarType.Int16,
            TfliteTensorType.Float64 => ScalarType.Float64,
            _ => throw new WeightFileException(Source, $"tensor '{tensor.Name}' has type {tensor.Type}, which StyleLab does not read."),
        };
        var result = torch.empty(tensor.Shape.Select(d => (long)d).ToArray(), dtype);
        if (tensor.Data.Length > 0) result.bytes = tensor.Data.ToArray();
        return result;
    }

    /// <summary>A constant int32 tensor's values (paddings, sizes, axes).</summary>
    public int[] Int32Values(TfliteTensor tensor)
    {
        if (tensor.Type != TfliteTensorType.Int32) throw new WeightFileException(Source, $"tensor '{tensor.Name}' is {tensor.Type}, not Int32.");
        var values = new int[tensor.Data.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(tensor.Data.Span[(4 * i)..]);
        return values;
    }
}

/// <summary>TFLite's tensor element types (schema enum <c>TensorType</c>).</summary>
public enum TfliteTensorType : sbyte
{
    Float32 = 0, Float16 = 1, Int32 = 2, UInt8 = 3, Int64 = 4, String = 5, Bool = 6, Int16 = 7, Complex64 = 8, Int8 = 9, Float64 = 10,
}

/// <summary>Linear quantisation: <c>real = Scale · (q − ZeroPoint)</c>, per tensor or per channel of <see cref="QuantizedDimension"/>.</summary>
public sealed record TfliteQuantization(float[] Scale, long[] ZeroPoint, int QuantizedDimension)
{
    /// <summary>One scale per channel rather than one for the tensor.</summary>
    public bool PerChannel => Scale.Length > 1;
}

/// <summary>One tensor of a TFLite subgraph; constants carry their bytes.</summary>
/// <param name="Index">Position in the subgraph's tensor list (operators refer to it).</param>
/// <param name="Name">The converter's name, usually the TensorFlow op that produced it.</param>
/// <param name="Shape">Dimensions (NHWC for activations).</param>
/// <param name="Type">Element type.</param>
/// <param name="Data">Raw little-endian bytes; empty for activations.</param>
/// <param name="Quantization">Scale / zero point, or null.</param>
public sealed record TfliteTensor(int Index, string Name, int[] Shape, TfliteTensorType Type, ReadOnlyMemory<byte> Data, TfliteQuantization? Quantization)
{
    /// <summary>Product of the shape.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Whether the tensor holds constant data (weights, biases, paddings).</summary>
    public bool IsConstant => Data.Length > 0;

    internal int? ElementSize => Type switch
    {
        TfliteTensorType.Float32 or TfliteTensorType.Int32 => 4,
        TfliteTensorType.Float16 or TfliteTensorType.Int16 => 2,
        TfliteTensorType.Int8 or TfliteTensorType.UInt8 or TfliteTensorType.Bool => 1,
        TfliteTensorType.Int64 or TfliteTensorType.Float64 => 8,
        _ => null,
    };
}

/// <summary>One operator: its builtin code, tensor indices (−1 = optional input left out) and options.</summary>
public sealed record TfliteOperator(int Index, TfliteOperatorCode Code, int[] Inputs, int[] Outputs, TfliteOptions? Options);

/// <summary>
/// An operator's builtin options table, read by field slot as schema.fbs declares it, e.g.
/// <c>Conv2DOptions</c>: 0 padding, 1 stride_w, 2 stride_h, 3 fused_activation_function.
/// </summary>
public sealed class TfliteOptions
{
    readonly FlatBufferTable _table;
    internal TfliteOptions(FlatBufferTable table) => _table = table;

    /// <summary>An int32 field, or <paramref name="fallback"/> when absent.</summary>
    public int Int32(int slot, int fallback = 0) => _table.Int32(slot, fallback);

    /// <summary>A byte-sized enum field (padding, activation, mode), or <paramref name="fallback"/>.</summary>
    public byte Enum(int slot, byte fallback = 0) => _table.UInt8(slot, fallback);

    /// <summary>A bool field, or <paramref name="fallback"/>.</summary>
    public bool Bool(int slot, bool fallback = false) => _table.Bool(slot, fallback);

    /// <summary>A float field, or <paramref name="fallback"/>.</summary>
    public float Float32(int slot, float fallback = 0) => _table.Float32(slot, fallback);
}

/// <summary>The builtin operators StyleLab's TFLite networks use (schema enum <c>BuiltinOperator</c>); others keep their number.</summary>
public enum TfliteOperatorCode
{
    Add = 0, AveragePool2D = 1, Concatenation = 2, Conv2D = 3, DepthwiseConv2D = 4, Dequantize = 6,
    FullyConnected = 9, Logistic = 14, MaxPool2D = 17, Mul = 18, Relu = 19, Relu6 = 21, Reshape = 22,
    ResizeBilinear = 23, Softmax = 25, Tanh = 28, Pad = 34, Mean = 40, Sub = 41, Div = 42, Rsqrt = 76,
    ResizeNearestNeighbor = 97, SquaredDifference = 99, MirrorPad = 100, Quantize = 114,
}
