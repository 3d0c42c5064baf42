using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// Copies a state dict into a module whose own keys are the official ones, checking every key and
/// shape first so a wrong file fails with a message naming it, the tensor and the problem.
/// </summary>
public static class StateDictCopy
{
    /// <summary>
    /// Copies <paramref name="stateDict"/> into <paramref name="module"/> (converting dtypes).
    /// <paramref name="source"/> (a file, "checkpoint") and <paramref name="what"/> ("SANet transformer")
    /// make up the error message.
    /// </summary>
    /// <exception cref="WeightFileException">A tensor the module needs is missing or has another shape.</exception>
    public static void CopyInto(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source, string what)
    {
        var own = module.state_dict();
        var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new WeightFileException(source,
                $"is not a {what} in the official layout: missing {string.Join(", ", missing.Take(4))}{(missing.Count > 4 ? ", …" : "")}.");
        using var _ = no_grad();
        foreach (var (key, target) in own)
        {
            var value = stateDict[key];
            if (!value.shape.SequenceEqual(target.shape))
                throw new WeightFileException(source,
                    $"tensor '{key}' has shape [{string.Join(",", value.shape)}]; a {what} needs [{string.Join(",", target.shape)}].");
            target.copy_(value.to(target.dtype));
        }
    }
}
