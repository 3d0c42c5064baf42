using static TorchSharp.torch;

namespace StyleLab.Methods.WCT;

/// <summary>One level of the multi-level pipeline: the image its decoder produced (before clamping).</summary>
/// <param name="Layer">The ReLU layer stylised at this level.</param>
/// <param name="Image">The decoded image [1,3,H,W].</param>
public sealed record WctLevelResult(string Layer, Tensor Image);

/// <summary>What <see cref="UniversalStyleTransfer.Stylize"/> returns; disposing it frees every image.</summary>
/// <param name="Image">The stylised image [1,3,H,W] in [0,1] (the last level's, clamped).</param>
/// <param name="Levels">Every level's decoded image, coarse to fine.</param>
public sealed record WctResult(Tensor Image, IReadOnlyList<WctLevelResult> Levels) : IDisposable
{
    public void Dispose()
    {
        Image.Dispose();
        foreach (var level in Levels) level.Image.Dispose();
    }
}

/// <summary>Progress of the multi-level pipeline: level <paramref name="Level"/> of <paramref name="Count"/> (1-based) finished.</summary>
public sealed record WctProgress(string Layer, int Level, int Count);
