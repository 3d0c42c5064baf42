using StyleLab.Encoders;
using TorchSharp;
using StyleLab.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Methods.DeepAnalogy;

/// <summary>
/// Brings a target at layer L back to layer L−1 (Liao et al. 2017, §4.3, Eq. 5): the features
/// R^{L−1} whose forward pass through the sub-network CNN_{L−1→L} best reproduces the target,
/// <c>R = argmin ‖CNN_{L−1→L}(R) − target‖²</c>, solved with L-BFGS. Unlike a decoder this needs no
/// training: the encoder's own layers (<see cref="Vgg19Encoder.Forward"/>) are inverted numerically.
/// </summary>
public static class FeatureDeconvolution
{
    /// <summary>
    /// R^{from} reproducing <paramref name="target"/> at <paramref name="to"/>, starting from
    /// <paramref name="initial"/> ([N,C,H,W] at <paramref name="from"/>; a good start — the official
    /// code votes F^{L−1} through the up-sampled field — lets few iterations suffice).
    /// </summary>
    public static Tensor Reconstruct(Vgg19Encoder encoder, string from, string to, Tensor target, Tensor initial,
        int iterations, CancellationToken cancellationToken = default)
    {
        if (iterations <= 0) return initial.detach().clone();
        using var scope = NewDisposeScope();
        var goal = target.detach();
        var r = new Parameter(initial.detach().clone(), requires_grad: true);
        // StyleLab's own L-BFGS (as Gatys uses): the native optimiser's closure bridge leaks a tensor per call.
        using var lbfgs = new Lbfgs(r, learningRate: 1, historySize: 20);
        for (int i = 0; i < iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            using (var grad = r.grad) grad?.zero_();
            // The sum, not the mean: with a mean over ~10⁶ activations the gradient, and so L-BFGS's
            // first (unit-L1) step, would be vanishingly small.
            var loss = 0.5f * (encoder.Forward(r, from, to) - goal).square().sum();
            cancellationToken.ThrowIfCancellationRequested(); // between the passes, so an interrupt waits for one pass only
            loss.backward();
            lbfgs.Step();
        }
        return r.detach().clone().MoveToOuterDisposeScope();
    }

    /// <summary>The mean squared feature error ‖CNN_{from→to}(R) − target‖²/n the deconvolution minimises (a scalar tensor).</summary>
    public static Tensor Error(Vgg19Encoder encoder, Tensor reconstruction, string from, string to, Tensor target)
    {
        using var scope = NewDisposeScope();
        var output = encoder.Forward(reconstruction, from, to);
        if (!output.shape.SequenceEqual(target.shape))
            throw new ArgumentException(
                $"{from}→{to} maps [{string.Join(",", reconstruction.shape)}] to [{string.Join(",", output.shape)}], but the target is [{string.Join(",", target.shape)}].");
        return (output - target).square().mean().MoveToOuterDisposeScope();
    }
}
