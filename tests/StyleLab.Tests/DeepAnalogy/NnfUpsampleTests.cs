using CsCheck;
using StyleLab.Methods.DeepAnalogy;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.DeepAnalogy;

public class NnfUpsampleTests
{
    [Fact]
    public void A_constant_displacement_doubles_and_stays_constant()
    {
        Gen.Select(Gen.Int[-5, 5], Gen.Int[-5, 5], Gen.Int[4, 20], Gen.Int[4, 20]).Sample((vy, vx, h, w) =>
        {
            using var scope = NewDisposeScope();
            // Targets large enough that nothing is clamped: the coarse target is the source plus a margin.
            int th = h + 12, tw = w + 12;
            var coarse = new Nnf(Nnf.Identity(h, w, h, w).Coordinates + tensor(new long[] { vy + 6, vx + 6 }), th, tw);
            using var fine = NnfUpsample.Apply(coarse, 2 * h, 2 * w, 2 * th, 2 * tw);
            var expected = tensor(new long[] { 2 * (vy + 6), 2 * (vx + 6) });
            return fine.Offsets().eq(expected).all().item<bool>();
        }, iter: 50);
    }

    [Fact]
    public void A_smooth_field_stays_smooth()
    {
        // A coarse displacement that changes by at most 1 between neighbours (a gentle swirl) changes by
        // at most 2 between fine neighbours: twice the coarse step, with no seams between cells.
        const int h = 16, w = 16, margin = 8;
        var coordinates = new long[h, w, 2];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            coordinates[y, x, 0] = y + margin + (long)Math.Round(3 * Math.Sin(x / 4.0));
            coordinates[y, x, 1] = x + margin + (long)Math.Round(3 * Math.Cos(y / 4.0));
        }
        using var coarse = new Nnf(tensor(coordinates), h + 2 * margin, w + 2 * margin);
        Assert.True(MaxNeighbourStep(coarse.Offsets()) <= 1);
        using var fine = NnfUpsample.Apply(coarse, 2 * h, 2 * w, 2 * (h + 2 * margin), 2 * (w + 2 * margin));
        Assert.True(MaxNeighbourStep(fine.Offsets()) <= 2);
    }

    [Fact]
    public void Fields_between_grids_of_different_sizes_stay_inside_the_target()
    {
        using var generator = new Generator(3);
        using var coarse = Nnf.Random(7, 9, 5, 11, generator);
        using var fine = NnfUpsample.Apply(coarse, 15, 18, 11, 23);
        Assert.Equal(new long[] { 15, 18, 2 }, fine.Coordinates.shape);
        Assert.True(fine.Coordinates.ge(0).all().item<bool>());
        Assert.True(fine.Coordinates[.., .., 0].lt(11).all().item<bool>() && fine.Coordinates[.., .., 1].lt(23).all().item<bool>());
    }

    static long MaxNeighbourStep(Tensor offsets)
    {
        var down = (offsets[1.., ..] - offsets[..^1, ..]).abs().max().item<long>();
        var right = (offsets[.., 1..] - offsets[.., ..^1]).abs().max().item<long>();
        return Math.Max(down, right);
    }
}
