namespace StyleLab.Weights;

/// <summary>
/// A Python <c>dict</c> or <c>collections.OrderedDict</c> as it came out of a pickle:
/// entries in insertion order, plus the instance attributes a <c>BUILD</c> opcode set
/// (a state dict keeps its per-module versions in <c>_metadata</c>).
/// </summary>
internal sealed class PickleDict
{
    readonly List<KeyValuePair<object, object?>> _entries = [];
    readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object, object?>> Entries => _entries;

    public Dictionary<string, object?> Attributes { get; } = [];

    public int Count => _entries.Count;

    /// <summary>Python assignment semantics: a repeated key replaces the value in place.</summary>
    public void Set(object key, object? value)
    {
        if (_index.TryGetValue(key, out int at)) _entries[at] = new(key, value);
        else
        {
            _index[key] = _entries.Count;
            _entries.Add(new(key, value));
        }
    }

    public bool TryGet(object key, out object? value)
    {
        if (_index.TryGetValue(key, out int at))
        {
            value = _entries[at].Value;
            return true;
        }
        value = null;
        return false;
    }
}
