using Microsoft.AspNetCore.Html;

namespace StyleLab.Kernel;

/// <summary>
/// What every cell sees without qualification: <c>display(x)</c>, <c>Cancellation</c>, and a few
/// notebook conveniences. Each cell gets a new instance of a class derived from this one that
/// also carries the earlier cells' definitions (see <see cref="CellScope"/>); all share the outputs.
/// </summary>
public class KernelGlobals
{
    readonly CellOutputs _outputs;

    internal KernelGlobals(CellOutputs outputs) => _outputs = outputs;

    /// <summary>For the generated scope classes: the same outputs as <paramref name="globals"/>.</summary>
    protected KernelGlobals(KernelGlobals globals) => _outputs = globals._outputs;

    /// <summary>Shows <paramref name="value"/> below the cell now; keep the handle to update it in place.</summary>
    public DisplayHandle display(object? value)
    {
        var handle = new DisplayHandle(_outputs, Guid.NewGuid().ToString("N"));
        _outputs.Display(value, handle.DisplayId);
        return handle;
    }

    /// <summary>Same as <see cref="display"/>, in .NET casing.</summary>
    public DisplayHandle Display(object? value) => display(value);

    /// <summary>
    /// Cancelled when the user interrupts the cell. Pass it to long operations, e.g.
    /// <c>Gatys.Run(…, cancellationToken: Cancellation)</c>; a loop that never looks at it cannot be interrupted.
    /// </summary>
    public CancellationToken Cancellation => CellContext.Cancellation;

    /// <summary>Whether the user has interrupted the running cell.</summary>
    public bool Interrupted => Cancellation.IsCancellationRequested;

    /// <summary>Clears this cell's outputs; with <paramref name="wait"/>, only when the next output arrives (no flicker).</summary>
    public void ClearOutput(bool wait = false) => _outputs.ClearOutput(wait);

    /// <summary>Marks a string as HTML so <c>display</c> renders it instead of showing the markup.</summary>
    public HtmlString HTML(string html) => new(html);
}
