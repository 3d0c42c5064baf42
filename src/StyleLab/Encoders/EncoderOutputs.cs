using System.Collections;
using static TorchSharp.torch;

namespace StyleLab.Encoders;

/// <summary>
/// The activations one forward pass produced, by layer name. Disposing it frees them all, so a
/// caller can keep a batch of encodings in one <c>using</c>.
/// </summary>
public sealed class EncoderOutputs : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    readonly Dictionary<string, Tensor> _activations;

    internal EncoderOutputs(Dictionary<string, Tensor> activations) => _activations = activations;

    public Tensor this[string layer] => _activations.TryGetValue(layer, out var t) ? t
        : throw new KeyNotFoundException($"Layer '{layer}' was not encoded; encoded layers: {string.Join(", ", _activations.Keys)}.");

    public IEnumerable<string> Keys => _activations.Keys;
    public IEnumerable<Tensor> Values => _activations.Values;
    public int Count => _activations.Count;
    public bool ContainsKey(string key) => _activations.ContainsKey(key);
    public bool TryGetValue(string key, out Tensor value) => _activations.TryGetValue(key, out value!);
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _activations.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Moves every activation to the enclosing dispose scope (call inside a scope whose results outlive it).</summary>
    public EncoderOutputs MoveToOuterDisposeScope()
    {
        foreach (var t in _activations.Values) t.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        foreach (var t in _activations.Values) t.Dispose();
        _activations.Clear();
    }
}
