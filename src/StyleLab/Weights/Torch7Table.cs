namespace StyleLab.Weights;

/// <summary>
/// A Lua table read from a Torch7 file. Keys are <see cref="double"/> (Lua numbers), <see cref="string"/>,
/// <see cref="bool"/> or another read object (compared by reference, as Lua does); values are any read value.
/// </summary>
public sealed class Torch7Table
{
    readonly Dictionary<object, object?> _entries = new();

    /// <summary>Every entry in file order is not kept by Lua either; enumerate for inspection only.</summary>
    public IReadOnlyDictionary<object, object?> Entries => _entries;

    public int Count => _entries.Count;

    /// <summary>The value under a string key, or null.</summary>
    public object? this[string key] => _entries.GetValueOrDefault(key);

    /// <summary>The value under a (1-based) numeric key, or null.</summary>
    public object? this[int index] => _entries.GetValueOrDefault((double)index);

    /// <summary>The values under 1, 2, 3, … until the first missing key (Lua's sequence part).</summary>
    public IReadOnlyList<object?> Sequence
    {
        get
        {
            var list = new List<object?>();
            for (int i = 1; _entries.TryGetValue((double)i, out var v); i++) list.Add(v);
            return list;
        }
    }

    internal void Set(object key, object? value) => _entries[key] = value;
}
