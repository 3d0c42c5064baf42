using StyleLab.Weights;
using static TorchSharp.torch;

namespace StyleLab.Methods.FeedForward;

/// <summary>
/// How the TensorFlow variables of Engstrom's <c>transform.py</c> (as ml5 publishes them) map onto
/// <see cref="TransformNet"/>. TensorFlow names unnamed variables <c>Variable</c>, <c>Variable_1</c>, …
/// in creation order, and every layer creates three: its kernel, then instance norm's shift β
/// (initialised to zeros), then its scale γ (ones) — ml5's <c>instanceNorm</c> reads <c>id</c> as
/// shift and <c>id + 1</c> as scale. Sixteen layers, 48 variables.
/// </summary>
internal static class EngstromVariables
{
    public static void CopyInto(TransformNet net, IReadOnlyDictionary<string, Tensor> variables, string source)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int id = 0;
        foreach (var (layer, kernel, norm) in net.LayersInCreationOrder())
        {
            // TF conv kernels are HWIO and conv-transpose kernels H·W·out·in; PyTorch wants OIHW and
            // [in, out, kH, kW] respectively: the same permutation (3, 2, 0, 1) serves both.
            Copy(kernel, Read(variables, id, $"{layer} kernel", TfShape(kernel), source).permute(3, 2, 0, 1), source);
            Copy(norm.bias!, Read(variables, id + 1, $"{layer} instance-norm shift β", norm.bias!.shape, source), source);
            Copy(norm.weight!, Read(variables, id + 2, $"{layer} instance-norm scale γ", norm.weight!.shape, source), source);
            id += 3;
        }
        if (variables.Count > id)
        {
            var extra = variables.Keys.Except(Enumerable.Range(0, id).Select(Name)).Take(5);
            throw new WeightFileException(source,
                $"the checkpoint has {variables.Count} variables but the transformation network uses {id} (unexpected: {string.Join(", ", extra)}); it is not an Engstrom/ml5 fast-style network.");
        }
    }

    /// <summary>TensorFlow's name for the variable created <paramref name="id"/>-th.</summary>
    public static string Name(int id) => id == 0 ? "Variable" : $"Variable_{id}";

    static long[] TfShape(Tensor kernel) => [kernel.shape[2], kernel.shape[3], kernel.shape[1], kernel.shape[0]];

    static Tensor Read(IReadOnlyDictionary<string, Tensor> variables, int id, string role, long[] expected, string source)
    {
        string name = Name(id);
        if (!variables.TryGetValue(name, out var value))
            throw new WeightFileException(source, $"variable '{name}' ({role}) is missing from the manifest.");
        if (!value.shape.SequenceEqual(expected))
            throw new WeightFileException(source,
                $"variable '{name}' ({role}) has shape [{string.Join(",", value.shape)}] but the transformation network expects [{string.Join(",", expected)}].");
        return value;
    }

    static void Copy(Tensor target, Tensor value, string source) => target.copy_(value.to(target.dtype));
}
