namespace StyleLab.Kernel;

/// <summary>An output a cell showed with <c>display(…)</c>, which it can replace in place later.</summary>
public sealed class DisplayHandle
{
    readonly CellOutputs _outputs;

    internal DisplayHandle(CellOutputs outputs, string displayId)
    {
        _outputs = outputs;
        DisplayId = displayId;
    }

    /// <summary>The Jupyter <c>transient.display_id</c> that ties updates to this output.</summary>
    public string DisplayId { get; }

    /// <summary>Replaces the displayed output with <paramref name="value"/> (update_display_data).</summary>
    public void Update(object? value) => _outputs.Display(value, DisplayId, update: true);

    public override string ToString() => $"display {DisplayId}";
}
