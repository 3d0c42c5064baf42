namespace StyleLab.Kernel;

/// <summary>
/// Refuses a correctly signed message seen before: someone who can read the traffic could
/// otherwise replay an execute_request and run a cell again. Like jupyter_client's Session, it
/// remembers a bounded number of signatures (a fresh message has a fresh msg_id, so its signature
/// is new) and forgets a tenth of them, the oldest, when full.
/// </summary>
internal sealed class ReplayGuard(int capacity = 1 << 16)
{
    readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    readonly Queue<string> _order = new();

    /// <summary>Records <paramref name="signature"/>; false if it was seen already.</summary>
    public bool IsFresh(string signature)
    {
        lock (_seen)
        {
            if (!_seen.Add(signature)) return false;
            _order.Enqueue(signature);
            if (_order.Count > capacity)
                for (int i = 0; i < capacity / 10; i++) _seen.Remove(_order.Dequeue());
            return true;
        }
    }
}
