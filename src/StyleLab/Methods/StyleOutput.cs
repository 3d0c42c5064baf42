using static TorchSharp.torch;

namespace StyleLab.Methods;

/// <summary>The one place every method's output passes: checked finite, then clamped to [0,1].</summary>
public static class StyleOutput
{
    /// <summary>
    /// <paramref name="image"/> clamped to [0,1] (a new tensor in the current dispose scope).
    /// NaN or ±∞ anywhere is an error naming <paramref name="method"/> and its <paramref name="weightFiles"/>:
    /// clamping would silently turn NaN into black.
    /// </summary>
    /// <exception cref="NonFiniteOutputException">A value is not finite.</exception>
    public static Tensor Finish(Tensor image, string method, IReadOnlyList<string> weightFiles)
    {
        using (var scope = NewDisposeScope())
        {
            long bad = isfinite(image).logical_not().sum().item<long>();
            if (bad > 0) throw new NonFiniteOutputException(method, bad, image.numel(), weightFiles);
        }
        return image.clamp(0, 1);
    }
}
