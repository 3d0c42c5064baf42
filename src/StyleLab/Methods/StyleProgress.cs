namespace StyleLab.Methods;

/// <summary>Progress of one <see cref="IStyleTransfer.Stylize"/> call: <paramref name="Step"/> of <paramref name="Steps"/> done.</summary>
/// <param name="Method">The method's name (<see cref="IStyleTransfer.Method"/>).</param>
/// <param name="Step">Steps done (1-based): optimisation steps, WCT levels, analogy stages, images of a batch.</param>
/// <param name="Steps">Steps in all.</param>
/// <param name="Stage">What the step was (a layer, a stage), or null.</param>
public sealed record StyleProgress(string Method, int Step, int Steps, string? Stage = null);
