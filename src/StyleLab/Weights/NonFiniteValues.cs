using static TorchSharp.torch;

namespace StyleLab.Weights;

/// <summary>
/// Finds NaN and ∞ in weights: a file is never written with them, nor read into a model, because a
/// diverged training run or a miscomputing CPU must not pass for a trained model (an all-black image
/// with exit code 0).
/// </summary>
public static class NonFiniteValues
{
    /// <summary>The first floating-point tensor (in the given order) holding NaN or ∞, and how many such values it holds.</summary>
    public static (string Name, long Count)? Find(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        foreach (var (name, tensor) in tensors)
        {
            if (!tensor.is_floating_point() || tensor.numel() == 0) continue;
            using var finite = tensor.detach().isfinite();
            if (finite.all().item<bool>()) continue;
            using var bad = finite.logical_not();
            return (name, bad.sum().item<long>());
        }
        return null;
    }

    /// <summary>Throws a <see cref="WeightFileException"/> naming <paramref name="path"/> and the tensor when <see cref="Find"/> finds one.</summary>
    public static void ThrowIfAny(IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        if (Find(tensors) is not var (name, count)) return;
        throw new WeightFileException(path,
            $"tensor '{name}' holds {count} NaN or infinite value(s): these weights are unusable " +
            "(e.g. saved by a training run that diverged); retrain or use another file.");
    }

    /// <summary>Throws before anything is written to <paramref name="path"/> when <see cref="Find"/> finds one.</summary>
    public static void RefuseToWrite(IReadOnlyDictionary<string, Tensor> tensors, string path)
    {
        if (Find(tensors) is not var (name, count)) return;
        throw new InvalidOperationException(
            $"Refusing to write '{path}': tensor '{name}' holds {count} NaN or infinite value(s); nothing was written.");
    }
}
