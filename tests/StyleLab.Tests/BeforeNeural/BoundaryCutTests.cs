using CsCheck;
using StyleLab.Methods.ImageQuilting;

namespace StyleLab.Tests.BeforeNeural;

public class BoundaryCutTests
{
    [Fact]
    public void The_dynamic_programme_finds_the_cheapest_of_all_8_connected_paths()
    {
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 4], Gen.Float[0f, 1f].Array[24]).Sample((rows, columns, values) =>
        {
            var surface = new float[rows, columns];
            for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) surface[i, j] = values[(i * columns + j) % values.Length];

            var cut = BoundaryCut.Vertical(surface);
            float brute = AllPaths(rows, columns).Min(path => Cost(surface, path));
            Assert.Equal(brute, cut.Cost, 5);
            Assert.Equal(cut.Cost, Cost(surface, cut.Path), 5);
            for (int i = 1; i < rows; i++) Assert.InRange(Math.Abs(cut.Path[i] - cut.Path[i - 1]), 0, 1);
        });
    }

    [Fact]
    public void The_horizontal_cut_is_the_vertical_cut_of_the_transpose()
    {
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 6], Gen.Float[0f, 1f].Array[24]).Sample((rows, columns, values) =>
        {
            var surface = new float[rows, columns];
            var transposed = new float[columns, rows];
            for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) surface[i, j] = transposed[j, i] = values[(i * columns + j) % values.Length];
            var horizontal = BoundaryCut.Horizontal(surface);
            var vertical = BoundaryCut.Vertical(transposed);
            Assert.Equal(vertical.Path, horizontal.Path);
            Assert.True(horizontal.IsHorizontal);
        });
    }

    [Fact]
    public void The_cut_follows_a_valley_of_zero_error()
    {
        var surface = new float[5, 4];
        int[] valley = [2, 1, 1, 0, 1];
        for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++) surface[i, j] = j == valley[i] ? 0 : 1;
        var cut = BoundaryCut.Vertical(surface);
        Assert.Equal(valley, cut.Path);
        Assert.Equal(0, cut.Cost);
    }

    static float Cost(float[,] surface, int[] path) => path.Select((j, i) => surface[i, j]).Sum();

    static IEnumerable<int[]> AllPaths(int rows, int columns)
    {
        IEnumerable<int[]> Extend(int[] prefix)
        {
            if (prefix.Length == rows) { yield return prefix; yield break; }
            int last = prefix[^1];
            for (int j = Math.Max(0, last - 1); j <= Math.Min(columns - 1, last + 1); j++)
                foreach (var path in Extend([.. prefix, j])) yield return path;
        }
        return Enumerable.Range(0, columns).SelectMany(j => Extend([j]));
    }
}
