using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// Reconstruction by patch voting (Liao et al. 2017, §4.4): every patch N(x) that covers p was matched
/// to the patch at φ(x) in the target, and each such match proposes for p the target value at the same
/// place inside its patch, φ(x) + (p − x). The result is their mean,
/// <c>A′(p) = 1/n Σ_{x∈N(p)} B′(φ(x) + p − x)</c>, over the proposals that fall inside the target
/// (as the official <c>avg_vote</c>). Used on features, for the deconvolution target, and on pixels
/// for the final A′ and B. With the identity field every proposal is the pixel itself.
/// </summary>
public static class PatchVoting
{
    /// <summary>Votes <paramref name="target"/> [N,C,H′,W′] through <paramref name="field"/> into the source grid: [N,C,H,W].</summary>
    public static Tensor Vote(Nnf field, Tensor target, int patchSize)
    {
        if (patchSize < 1 || patchSize % 2 == 0)
            throw new ArgumentException($"Patch size must be odd and positive; got {patchSize}.", nameof(patchSize));
        field.RequireTarget(target, nameof(target));
        using var scope = NewDisposeScope();
        int h = field.Height, w = field.Width, r = patchSize / 2;
        long n = target.shape[0], c = target.shape[1];
        var device = field.Coordinates.device;
        var values = target.flatten(2);
        var sum = zeros([n, c, h * w], dtype: target.dtype, device: device);
        var count = zeros([h * w], dtype: target.dtype, device: device);
        var (ys, xs) = Nnf.Grid(h, w, device);
        var limits = tensor(new long[] { field.TargetHeight - 1, field.TargetWidth - 1 }, device: device);

        for (int dy = -r; dy <= r; dy++)
        for (int dx = -r; dx <= r; dx++)
        {
            using var step = NewDisposeScope();
            // x = p + (dy, dx) covers p; its match proposes φ(x) − (dy, dx) for p.
            var proposal = roll(field.Coordinates, [-dy, -dx], [0, 1]) - tensor(new long[] { dy, dx }, device: device);
            var valid = ((ys + dy).ge(0) & (ys + dy).lt(h) & (xs + dx).ge(0) & (xs + dx).lt(w)
                         & proposal.ge(0).all(-1) & proposal.le(limits).all(-1)).view(-1);
            var clamped = minimum(proposal.clamp_min(0), limits);
            var index = (clamped[.., .., 0] * field.TargetWidth + clamped[.., .., 1]).view(-1);
            var weight = valid.to(target.dtype);
            sum.add_(values.index_select(2, index) * weight);
            count.add_(weight);
        }
        return (sum / count.clamp_min(1)).view(n, c, h, w).MoveToOuterDisposeScope();
    }
}
