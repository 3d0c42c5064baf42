using static TorchSharp.torch;

namespace StyleLab.Training;

/// <summary>A batch of content crops and the same number of style crops, each [B,3,H,W] in [0,1].</summary>
public sealed record ImagePair(Tensor Content, Tensor Style) : IDisposable
{
    /// <summary>Disposes both batches.</summary>
    public void Dispose()
    {
        Content.Dispose();
        Style.Dispose();
    }
}
