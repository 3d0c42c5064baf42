namespace StyleLab.Methods.ImageQuilting;

/// <summary>
/// The minimum-error boundary cut (Efros &amp; Freeman 2001, §2.1) through one overlap: with e(i, j) the squared
/// difference of the two blocks there, the cheapest 8-connected path is found by dynamic programming,
/// E(i, j) = e(i, j) + min(E(i−1, j−1), E(i−1, j), E(i−1, j+1)), and traced back from the minimum of the last row.
/// Plain data for visualisation: the error surface, the path and its cost.
/// </summary>
/// <param name="ErrorSurface">e over the overlap, [rows, columns] as it lies in the image.</param>
/// <param name="Path">
/// For a vertical cut (left overlap, top to bottom) the column of the cut in each row; for a horizontal cut (top
/// overlap, left to right) the row of the cut in each column. Pixels at or beyond the path take the new block.
/// </param>
/// <param name="Cost">Σ e along the path.</param>
/// <param name="IsHorizontal">Whether the path runs left to right (a top overlap).</param>
public sealed record BoundaryCut(float[,] ErrorSurface, int[] Path, float Cost, bool IsHorizontal)
{
    /// <summary>The cheapest top-to-bottom path through <paramref name="errorSurface"/> [rows, columns].</summary>
    public static BoundaryCut Vertical(float[,] errorSurface)
    {
        var (path, cost) = CheapestPath(errorSurface.GetLength(0), errorSurface.GetLength(1), (i, j) => errorSurface[i, j]);
        return new BoundaryCut(errorSurface, path, cost, IsHorizontal: false);
    }

    /// <summary>The cheapest left-to-right path through <paramref name="errorSurface"/> [rows, columns]: the vertical cut of its transpose.</summary>
    public static BoundaryCut Horizontal(float[,] errorSurface)
    {
        var (path, cost) = CheapestPath(errorSurface.GetLength(1), errorSurface.GetLength(0), (i, j) => errorSurface[j, i]);
        return new BoundaryCut(errorSurface, path, cost, IsHorizontal: true);
    }

    /// <summary>Whether the pixel at (row, column) of the overlap takes the new block: it lies at or beyond the path.</summary>
    public bool TakesNew(int row, int column) => IsHorizontal ? row >= Path[column] : column >= Path[row];

    static (int[] Path, float Cost) CheapestPath(int length, int breadth, Func<int, int, float> e)
    {
        var total = new float[length, breadth];
        for (int j = 0; j < breadth; j++) total[0, j] = e(0, j);
        for (int i = 1; i < length; i++)
        for (int j = 0; j < breadth; j++)
        {
            float best = total[i - 1, j];
            if (j > 0) best = Math.Min(best, total[i - 1, j - 1]);
            if (j + 1 < breadth) best = Math.Min(best, total[i - 1, j + 1]);
            total[i, j] = e(i, j) + best;
        }
        var path = new int[length];
        path[length - 1] = ArgMin(total, length - 1, 0, breadth - 1);
        for (int i = length - 2; i >= 0; i--)
            path[i] = ArgMin(total, i, Math.Max(0, path[i + 1] - 1), Math.Min(breadth - 1, path[i + 1] + 1));
        return (path, total[length - 1, path[length - 1]]);
    }

    static int ArgMin(float[,] total, int row, int from, int to)
    {
        int best = from;
        for (int j = from + 1; j <= to; j++) if (total[row, j] < total[row, best]) best = j;
        return best;
    }
}
