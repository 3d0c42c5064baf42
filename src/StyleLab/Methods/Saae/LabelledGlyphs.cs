using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>Character images [B,3,S,S] in [0,1] with their labels [B] (int64, 0 … k−1).</summary>
public sealed record LabelledGlyphs(Tensor Images, Tensor Labels) : IDisposable
{
    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
