using StyleLab.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.CAST;

/// <summary>Copies a state dict with official keys into a module whose own keys are the official ones, checking names and shapes.</summary>
static class OfficialState
{
    public static void CopyInto(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, string source, string what)
    {
        var own = module.state_dict();
        var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        if (missing.Count > 0)
            throw new WeightFileException(source, $"is not a {what}: missing {string.Join(", ", missing.Take(4))}{(missing.Count > 4 ? ", …" : "")}.");
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
