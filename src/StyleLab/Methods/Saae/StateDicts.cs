using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>Copies saved tensors into a module, naming the tensor that is missing or of the wrong shape.</summary>
static class StateDicts
{
    /// <summary>Every tensor of <paramref name="module"/>'s state dict from <paramref name="source"/>[<paramref name="prefix"/> + name].</summary>
    /// <exception cref="InvalidDataException">A tensor is missing or of another shape.</exception>
    public static void CopyInto(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string prefix)
    {
        using var _ = no_grad();
        foreach (var (name, target) in module.state_dict())
        {
            if (!source.TryGetValue(prefix + name, out var value))
                throw new InvalidDataException($"tensor '{prefix + name}' is missing.");
            if (!value.shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"tensor '{prefix + name}' is [{string.Join(",", value.shape)}], expected [{string.Join(",", target.shape)}].");
            target.copy_(value);
        }
    }

    /// <summary><paramref name="module"/>'s state dict with every key prefixed.</summary>
    public static IEnumerable<KeyValuePair<string, Tensor>> Prefixed(nn.Module module, string prefix) =>
        module.state_dict().Select(kv => KeyValuePair.Create(prefix + kv.Key, kv.Value));
}
