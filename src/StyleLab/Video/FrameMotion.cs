using static TorchSharp.torch;

namespace StyleLab.Video;

/// <summary>
/// The motion between two consecutive input frames: the backward flow (t → t − 1, which warps frame t − 1 onto t),
/// the forward flow (t − 1 → t) and the consistency mask of frame t (<see cref="OcclusionMask"/>). Owns its tensors.
/// </summary>
public sealed class FrameMotion : IDisposable
{
    public Tensor Backward { get; }
    public Tensor Forward { get; }
    public Tensor Mask { get; }

    FrameMotion(Tensor backward, Tensor forward, Tensor mask) => (Backward, Forward, Mask) = (backward, forward, mask);

    /// <summary>Flows both ways between <paramref name="previous"/> and <paramref name="current"/> and the mask.</summary>
    public static FrameMotion Between(Tensor previous, Tensor current, OpticalFlowOptions? options = null)
    {
        using var scope = NewDisposeScope();
        var backward = OpticalFlow.Compute(current, previous, options);
        var forward = OpticalFlow.Compute(previous, current, options);
        var mask = OcclusionMask.Compute(backward, forward);
        return new FrameMotion(backward.DetachFromDisposeScope(), forward.DetachFromDisposeScope(), mask.DetachFromDisposeScope());
    }

    public void Dispose()
    {
        Backward.Dispose();
        Forward.Dispose();
        Mask.Dispose();
    }
}
