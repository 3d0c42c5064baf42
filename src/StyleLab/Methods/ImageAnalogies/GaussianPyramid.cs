using StyleLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.ImageAnalogies;

/// <summary>
/// Gaussian pyramids (Hertzmann et al. 2001 synthesise coarse to fine): each level is the finer one
/// blurred by a Gaussian of σ = 1 and subsampled by two, so a level of h rows has ⌈h/2⌉ above it and pixel q of
/// a level sits below pixel ⌊q/2⌋ of the coarser one.
/// </summary>
public static class GaussianPyramid
{
    /// <summary>The levels of <paramref name="image"/> [N,C,H,W], coarsest first; the last is the image itself (not copied).</summary>
    public static IReadOnlyList<Tensor> Build(Tensor image, int levels)
    {
        var pyramid = new List<Tensor> { image };
        for (int i = 1; i < levels; i++)
            pyramid.Insert(0, GaussianBlur.Apply(pyramid[0], 1.0)[.., .., TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2)].contiguous());
        return pyramid;
    }

    /// <summary>How many levels keep the shorter side of a <paramref name="height"/>×<paramref name="width"/> image at or above <paramref name="coarsestSide"/>.</summary>
    public static int LevelsFor(int height, int width, int coarsestSide)
    {
        int levels = 1;
        for (int side = Math.Min(height, width); (side + 1) / 2 >= coarsestSide; side = (side + 1) / 2) levels++;
        return levels;
    }
}
