namespace StyleLab.Training;

/// <summary>The loss terms of one training step, as a checkpoint stores them.</summary>
public sealed record LossRecord(int Step, IReadOnlyDictionary<string, double> Terms)
{
    /// <summary>Every step of <paramref name="history"/>, with the terms recorded at it.</summary>
    public static LossRecord[] From(LossHistory history)
    {
        var terms = history.Steps.ToDictionary(s => s, _ => new Dictionary<string, double>());
        foreach (var name in history.Names)
            foreach (var (step, value) in history.Series(name)) terms[step][name] = value;
        return terms.Select(kv => new LossRecord(kv.Key, kv.Value)).ToArray();
    }

    /// <summary>A history holding <paramref name="records"/>.</summary>
    public static LossHistory ToHistory(IEnumerable<LossRecord> records)
    {
        var history = new LossHistory();
        foreach (var r in records) history.Add(r.Step, r.Terms);
        return history;
    }
}
