using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// The allow-list of Python globals a PyTorch state dict may name, and what "calling" each
/// one builds. Everything else is refused.
/// </summary>
/// <remarks>
/// A pickle can name any importable function (<c>os.system</c>, <c>builtins.eval</c>) and
/// have the unpickler call it. A state dict needs only an ordered dict, the tensor and
/// parameter rebuilders and the storage classes, so those are the only names accepted, and
/// each is replaced by a data constructor here; no Python code exists to be run.
/// </remarks>
internal static class TorchGlobals
{
    /// <summary>Storage classes by name, with the element type of the tensors built on them.</summary>
    static readonly Dictionary<string, ScalarType> StorageTypes = new()
    {
        ["torch.FloatStorage"] = ScalarType.Float32,
        ["torch.DoubleStorage"] = ScalarType.Float64,
        ["torch.HalfStorage"] = ScalarType.Float16,
        ["torch.BFloat16Storage"] = ScalarType.BFloat16,
        ["torch.LongStorage"] = ScalarType.Int64,
        ["torch.IntStorage"] = ScalarType.Int32,
        ["torch.ShortStorage"] = ScalarType.Int16,
        ["torch.CharStorage"] = ScalarType.Int8,
        ["torch.ByteStorage"] = ScalarType.Byte,
        ["torch.BoolStorage"] = ScalarType.Bool,
        // PyTorch 2 can write a tensor's storage untyped; its element count is then in bytes.
        ["torch.UntypedStorage"] = ScalarType.Byte,
    };

    const string OrderedDict = "collections.OrderedDict";
    const string RebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
    const string RebuildTensor = "torch._utils._rebuild_tensor";
    const string RebuildParameter = "torch._utils._rebuild_parameter";
    const string RebuildParameterWithState = "torch._utils._rebuild_parameter_with_state";

    static readonly HashSet<string> Constructors =
        [OrderedDict, RebuildTensorV2, RebuildTensor, RebuildParameter, RebuildParameterWithState];

    /// <summary>Accepts an allow-listed global by name; refuses any other, naming it.</summary>
    public static PickleGlobal Find(string module, string name, string file)
    {
        var global = new PickleGlobal(module, name);
        if (Constructors.Contains(global.FullName) || StorageTypes.ContainsKey(global.FullName)) return global;
        throw new WeightFileException(file,
            $"refused to load: the pickle references the Python global '{global.FullName}', which is not part of " +
            "a PyTorch state dict (only tensors, parameters and ordered dicts are accepted). Loading it in Python " +
            "could run arbitrary code. If the file is a whole pickled model, re-save it with " +
            "torch.save(model.state_dict(), path).");
    }

    /// <summary>The element type of a storage class global, if it is one.</summary>
    public static bool TryGetStorageType(object? global, out ScalarType dtype)
    {
        dtype = default;
        return global is PickleGlobal g && StorageTypes.TryGetValue(g.FullName, out dtype);
    }

    /// <summary>What <c>REDUCE</c> or <c>NEWOBJ</c> of an allow-listed global with these arguments builds.</summary>
    public static object? Call(object? callable, object?[] args, string file)
    {
        if (callable is not PickleGlobal global)
            throw new WeightFileException(file, $"the pickle calls a {Unpickler.Describe(callable)}, which is not callable");
        switch (global.FullName)
        {
            case OrderedDict when args.Length == 0:
                return new PickleDict();
            case RebuildTensorV2 when args.Length is 6 or 7:   // (storage, offset, size, stride, requires_grad, hooks[, metadata])
            case RebuildTensor when args.Length == 4:          // (storage, offset, size, stride), PyTorch < 0.4
                return new TensorRecord(
                    args[0] as StorageReference ?? throw Bad(global, "its storage argument is not a storage", file),
                    ToLong(args[1], global, file),
                    ToLongs(args[2], global, file),
                    ToLongs(args[3], global, file));
            case RebuildParameter when args.Length == 3:                  // (data, requires_grad, hooks)
            case RebuildParameterWithState when args.Length == 4:         // (data, requires_grad, hooks, state)
                // A parameter is its data for inference; requires_grad and hooks are training state.
                return args[0] as TensorRecord ?? throw Bad(global, "its data argument is not a tensor", file);
            default:
                throw Bad(global, $"it cannot be called with {args.Length} argument(s)", file);
        }
    }

    static WeightFileException Bad(PickleGlobal global, string problem, string file) =>
        new(file, $"the pickle calls {global.FullName} in a way PyTorch never writes: {problem}");

    static long ToLong(object? value, PickleGlobal global, string file) =>
        value is long n ? n : throw Bad(global, $"an integer argument is a {Unpickler.Describe(value)}", file);

    static long[] ToLongs(object? value, PickleGlobal global, string file) =>
        value is object?[] tuple
            ? Array.ConvertAll(tuple, item => ToLong(item, global, file))
            : throw Bad(global, $"a size or stride is a {Unpickler.Describe(value)}, not a tuple", file);
}
