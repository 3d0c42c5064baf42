using static TorchSharp.torch;

namespace StyleLab.Methods.Saae;

/// <summary>
/// One SAAE training batch of B samples: the clean content glyphs [B,3,S,S], the style exemplars
/// (words) [B,3,S,2S], the targets — each content character in its exemplar's style — [B,3,S,S], all in
/// [0,1], and the character labels [B] (int64, 0 … k−1).
/// </summary>
public sealed record SaaeBatch(Tensor Content, Tensor Exemplar, Tensor Target, Tensor Labels) : IDisposable
{
    /// <summary>Disposes the four tensors.</summary>
    public void Dispose()
    {
        Content.Dispose();
        Exemplar.Dispose();
        Target.Dispose();
        Labels.Dispose();
    }
}
