using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>A PatchMatch outcome: the field and, per source position, the patch distance of its match (<see cref="PatchDistance"/>).</summary>
/// <param name="Field">φ, [H,W,2].</param>
/// <param name="Distance">D(p, φ(p)), [H,W] float32; 0 for identical patches.</param>
public sealed record PatchMatchResult(Nnf Field, Tensor Distance) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Field.Dispose();
        Distance.Dispose();
    }
}
