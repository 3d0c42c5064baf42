using StyleLab.Methods.ImageAnalogies;
using StyleLab.Methods.ImageQuilting;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Interactive;

/// <summary>
/// Pictures of the patch-based methods' visualisation data, as images [1,3,H,W] in [0,1] for <see cref="ImageGrid"/>:
/// a boundary cut on its error surface, the block layout of a quilt, and where Image Analogies chose coherence.
/// </summary>
public static class PatchSynthesisViews
{
    /// <summary>
    /// The overlap's error surface e (magma, normalised to its maximum) with the minimum-error cut drawn in cyan,
    /// each overlap pixel enlarged to <paramref name="scale"/>×<paramref name="scale"/> so a 6-pixel-wide overlap is visible.
    /// </summary>
    public static Tensor Seam(BoundaryCut cut, int scale = 8)
    {
        using var scope = NewDisposeScope();
        var surface = tensor(cut.ErrorSurface);
        var normalised = surface / surface.max().clamp_min(1e-12f);
        var rgb = ColorMap.Magma.Apply(normalised);                        // [3,h,w]
        int rows = cut.ErrorSurface.GetLength(0), columns = cut.ErrorSurface.GetLength(1);
        var onPath = zeros(rows, columns, dtype: ScalarType.Bool);
        for (int k = 0; k < cut.Path.Length; k++)
            if (cut.IsHorizontal) onPath[cut.Path[k], k] = true;
            else onPath[k, cut.Path[k]] = true;
        var cyan = tensor(new[] { 0f, 1f, 1f }).view(3, 1, 1);
        rgb = where(onPath.unsqueeze(0), cyan, rgb);
        return rgb.repeat_interleave(scale, 1).repeat_interleave(scale, 2).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>The quilt with the outline of every block of its last pass drawn in <paramref name="colour"/> (RGB in [0,1], default white).</summary>
    public static Tensor BlockLayout(QuiltingResult result, float[]? colour = null)
    {
        using var scope = NewDisposeScope();
        var image = result.Image.clone();
        long height = image.shape[2], width = image.shape[3];
        var ink = tensor(colour ?? [1f, 1f, 1f]).view(1, 3, 1);
        foreach (var block in result.FinalBlocks)
        {
            int top = block.OutputY, left = block.OutputX;
            int bottom = (int)Math.Min(top + block.Size, height) - 1, right = (int)Math.Min(left + block.Size, width) - 1;
            if (top >= height || left >= width) continue;
            var across = ink.expand(1, 3, right - left + 1);
            var down = ink.expand(1, 3, bottom - top + 1);
            image[.., .., top, left..(right + 1)] = across;
            image[.., .., bottom, left..(right + 1)] = across;
            image[.., .., top..(bottom + 1), left] = down;
            image[.., .., top..(bottom + 1), right] = down;
        }
        return image.MoveToOuterDisposeScope();
    }

    /// <summary>Per pixel of B′, the last pass's choice: orange where the coherence match won, blue where the approximate match did.</summary>
    public static Tensor CoherenceChoice(ImageAnalogyResult result)
    {
        using var scope = NewDisposeScope();
        var coherent = result.Coherent.unsqueeze(0).unsqueeze(0);
        var orange = tensor(new[] { 1f, 0.6f, 0.1f }, device: coherent.device).view(1, 3, 1, 1);
        var blue = tensor(new[] { 0.15f, 0.35f, 0.9f }, device: coherent.device).view(1, 3, 1, 1);
        return where(coherent, orange, blue).MoveToOuterDisposeScope();
    }
}
