namespace StyleLab.Kernel;

/// <summary>
/// The objects of the cells that ran, by number; the generated <c>__Scope{n}</c> classes reach a
/// cell's variables through here. Not for notebook code.
/// </summary>
public static class Submissions
{
    static readonly List<object> Cells = [];

    /// <summary>The object of cell <paramref name="n"/> (its variables are fields of it).</summary>
    public static object Get(int n)
    {
        lock (Cells) return Cells[n];
    }

    /// <summary>Stores a cell's object; returns its number.</summary>
    internal static int Add(object cell)
    {
        lock (Cells)
        {
            Cells.Add(cell);
            return Cells.Count - 1;
        }
    }
}
