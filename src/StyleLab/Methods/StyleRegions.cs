using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods;

/// <summary>
/// The one mask convention of <see cref="StyleControls.Masks"/> as a label map: for each pixel the index of
/// the style it takes — the first whose mask is white (&gt; 0.5) there, the last style where none is.
/// </summary>
public static class StyleRegions
{
    /// <summary>An int64 [<paramref name="height"/>,<paramref name="width"/>] label map from one mask per style, resized by nearest neighbour.</summary>
    public static Tensor Labels(IReadOnlyList<Tensor> masks, long height, long width, Device? device = null)
    {
        if (masks.Count == 0) throw new ArgumentException("At least one mask is needed.", nameof(masks));
        using var scope = NewDisposeScope();
        Tensor labels = full([height, width], masks.Count - 1, ScalarType.Int64, device);
        for (int k = masks.Count - 2; k >= 0; k--)
            labels = where(Resized(masks[k], height, width, device) > 0.5, (long)k, labels);
        return labels.MoveToOuterDisposeScope();
    }

    /// <summary>Region <paramref name="k"/> of a label map as a float mask [1,1,H,W] (1 inside).</summary>
    public static Tensor Region(Tensor labels, int k) =>
        labels.eq(k).to(ScalarType.Float32).view(1, 1, labels.shape[0], labels.shape[1]);

    static Tensor Resized(Tensor mask, long height, long width, Device? device)
    {
        var m = mask.to(ScalarType.Float32, device ?? mask.device);
        while (m.dim() < 4) m = m.unsqueeze(0);
        return F.interpolate(m, [height, width], mode: InterpolationMode.Nearest).view(height, width);
    }
}
