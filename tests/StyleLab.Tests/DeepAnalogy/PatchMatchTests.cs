using StyleLab.Methods.DeepAnalogy;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.DeepAnalogy;

public class PatchMatchTests
{
    static readonly PatchMatchSettings WholeMap = new(PatchSize: 3, SearchRadius: null, Iterations: 6);

    [Fact]
    public void Recovers_a_known_integer_shift_exactly()
    {
        // A is a window of B starting at (5, 3): every patch of A sits in B shifted by (5, 3).
        using var b = SyntheticFeatures.Random(8, 32, 30, seed: 1);
        using var a = b[.., .., 5..29, 3..27].contiguous();
        using var generator = new Generator(7);
        using var start = Nnf.Random(24, 24, 32, 30, generator);
        using var result = PatchMatch.Search(a, a, b, b, start, WholeMap, generator);

        var field = SyntheticFeatures.ToArray(result.Field.Coordinates);
        for (int y = 0; y < 24; y++)
        for (int x = 0; x < 24; x++)
            Assert.True(field[y, x, 0] == y + 5 && field[y, x, 1] == x + 3, $"φ({y},{x}) = ({field[y, x, 0]},{field[y, x, 1]})");
        Assert.True(result.Distance.abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Recovers_a_known_permutation_of_patches_exactly()
    {
        // A is B cut into 6×6 tiles and shuffled. Every 3×3 patch inside a tile has exactly one
        // zero-distance match: the same place in the tile it came from.
        const int tile = 6;
        using var b = SyntheticFeatures.Random(8, 24, 24, seed: 2);
        var permutation = Enumerable.Range(0, 16).OrderBy(i => (i * 7 + 3) % 16).ToArray();
        using var a = SyntheticFeatures.PermuteTiles(b, tile, permutation);
        using var generator = new Generator(11);
        using var start = Nnf.Random(24, 24, 24, 24, generator);
        using var result = PatchMatch.Search(a, a, b, b, start, WholeMap with { Iterations = 10 }, generator);

        var field = SyntheticFeatures.ToArray(result.Field.Coordinates);
        for (int y = 0; y < 24; y++)
        for (int x = 0; x < 24; x++)
        {
            int iy = y % tile, ix = x % tile;
            if (iy == 0 || ix == 0 || iy == tile - 1 || ix == tile - 1) continue;   // patch straddles two tiles
            int source = permutation[y / tile * 4 + x / tile];
            int ey = source / 4 * tile + iy, ex = source % 4 * tile + ix;
            Assert.True(field[y, x, 0] == ey && field[y, x, 1] == ex, $"φ({y},{x}) = ({field[y, x, 0]},{field[y, x, 1]}), expected ({ey},{ex})");
        }
    }

    [Fact]
    public void Both_pairs_count_A_prime_and_B_prime_decide_where_A_and_B_cannot()
    {
        // A and B are featureless (every patch matches everywhere); only (A′, B′) carries the shift.
        using var bPrime = SyntheticFeatures.Random(8, 28, 28, seed: 3);
        using var aPrime = bPrime[.., .., 2..26, 4..28].contiguous();
        using var a = ones(1, 8, 24, 24);
        using var b = ones(1, 8, 28, 28);
        using var generator = new Generator(5);
        using var start = Nnf.Random(24, 24, 28, 28, generator);
        using var result = PatchMatch.Search(a, aPrime, b, bPrime, start, WholeMap, generator);
        using var expected = Nnf.Identity(24, 24, 24, 24).Offsets() + tensor(new long[] { 2, 4 });
        Assert.True(result.Field.Offsets().eq(expected).all().item<bool>());
    }

    [Fact]
    public void Same_seed_gives_the_same_field_and_another_seed_may_not()
    {
        using var a = SyntheticFeatures.Random(4, 20, 20, seed: 4);
        using var b = SyntheticFeatures.Random(4, 22, 18, seed: 5);
        Tensor Run(ulong seed)
        {
            using var generator = new Generator(seed);
            using var start = Nnf.Identity(20, 20, 22, 18);
            using var result = PatchMatch.Search(a, a, b, b, start, new PatchMatchSettings(3, 4, 3), generator);
            return result.Field.Coordinates.clone();
        }
        using var first = Run(42);
        using var again = Run(42);
        using var other = Run(43);
        Assert.True(first.eq(again).all().item<bool>());
        Assert.False(first.eq(other).all().item<bool>());
    }

    [Fact]
    public void Search_never_makes_a_match_worse_and_stays_inside_the_target()
    {
        using var a = SyntheticFeatures.Random(6, 17, 23, seed: 6);
        using var b = SyntheticFeatures.Random(6, 19, 13, seed: 7);
        using var distance = new PatchDistance(a, a, b, b, 5);
        using var generator = new Generator(1);
        using var start = Nnf.Random(17, 23, 19, 13, generator);
        using var before = distance.Evaluate(start.Coordinates);
        using var result = PatchMatch.Search(distance, start, new PatchMatchSettings(5, 4, 2), generator);
        Assert.True(result.Distance.le(before).all().item<bool>());
        Assert.True(result.Field.Coordinates.ge(0).all().item<bool>());
        Assert.True(result.Field.Coordinates[.., .., 0].lt(19).all().item<bool>());
        Assert.True(result.Field.Coordinates[.., .., 1].lt(13).all().item<bool>());
        using var recomputed = distance.Evaluate(result.Field.Coordinates);
        Assert.True(recomputed.allclose(result.Distance));
    }
}
