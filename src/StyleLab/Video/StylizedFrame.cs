using static TorchSharp.torch;

namespace StyleLab.Video;

/// <summary>
/// One stylised frame: the image (owned by the receiver), and for every frame after the first the warping error
/// (Lai et al.) between it and the previous output and the share of pixels the flow was trusted on.
/// </summary>
public sealed record StylizedFrame(int Index, Tensor Image, double? WarpingError, double? Consistent) : IDisposable
{
    public void Dispose() => Image.Dispose();
}
