using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.SANet;

/// <summary>Copies a state dict into a module, checking every key and shape against the module's own.</summary>
static class StateDicts
{
    public static void CopyInto(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source, string what)
    {
        var own = module.state_dict();
        var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new Weights.WeightFileException(source, $"is not a {what} in the official layout: missing {string.Join(", ", missing.Take(4))}.");
        using (no_grad())
        {
            foreach (var (key, target) in own)
            {
                var value = stateDict[key];
                if (!value.shape.SequenceEqual(target.shape))
                    throw new Weights.WeightFileException(source,
                        $"tensor '{key}' has shape [{string.Join(",", value.shape)}]; the {what} needs [{string.Join(",", target.shape)}].");
                target.copy_(value);
            }
        }
    }
}
