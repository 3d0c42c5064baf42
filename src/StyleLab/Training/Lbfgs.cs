using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Training;

/// <summary>
/// Limited-memory BFGS (Nocedal 1980; Liu &amp; Nocedal 1989) for one tensor, with a fixed step and
/// no line search — the configuration of PyTorch's <c>torch.optim.LBFGS</c> that Gatys-style pixel
/// optimisation uses (neural-style, the authors' PyTorch port). The caller computes the loss and
/// its gradient (<c>backward()</c>) and then calls <see cref="Step"/>, so every iteration is one loss
/// evaluation and one update, with room between iterations for progress, cancellation and NaN checks.
/// </summary>
/// <remarks>
/// Written in C# rather than wrapping TorchSharp's native optimiser because the native closure
/// bridge keeps one tensor per call alive (it copies the returned loss and never frees the handle),
/// so memory would grow with every step. All state lives on the variable's device.
/// </remarks>
public sealed class Lbfgs : IDisposable
{
    readonly Tensor _variable;
    readonly double _learningRate;
    readonly int _historySize;
    readonly LinkedList<(Tensor S, Tensor Y, Tensor Rho)> _history = new();   // oldest first
    Tensor? _previousGradient;
    Tensor? _previousStep;

    /// <param name="variable">The leaf tensor being optimised (requires_grad); it is updated in place.</param>
    /// <param name="learningRate">Step scale; 1 is the quasi-Newton step.</param>
    /// <param name="historySize">Curvature pairs kept (PyTorch's default is 100); memory is 2 × this × the variable's size.</param>
    public Lbfgs(Tensor variable, double learningRate = 1, int historySize = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historySize, 1);
        _variable = variable;
        _learningRate = learningRate;
        _historySize = historySize;
    }

    /// <summary>Iterations taken so far.</summary>
    public int Iterations { get; private set; }

    /// <summary>One L-BFGS iteration from the gradient in <c>variable.grad</c>; updates the variable.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        using var grad = _variable.grad ?? throw new InvalidOperationException("L-BFGS needs a gradient: call backward() before Step().");
        var g = grad.detach().flatten().clone();

        // Curvature pair from the last step: s = x_k − x_{k−1}, y = g_k − g_{k−1}; kept only when
        // yᵀs > 0, which keeps the implicit inverse-Hessian estimate positive definite.
        if (_previousGradient is not null && _previousStep is not null)
        {
            var y = g - _previousGradient;
            var ys = y.dot(_previousStep);
            if (ys.item<float>() > 1e-10)
            {
                _history.AddLast((_previousStep.alias().DetachFromDisposeScope(), y.DetachFromDisposeScope(), (1 / ys).DetachFromDisposeScope()));
                if (_history.Count > _historySize)
                {
                    var (s, oldY, rho) = _history.First!.Value;
                    s.Dispose(); oldY.Dispose(); rho.Dispose();
                    _history.RemoveFirst();
                }
            }
        }

        var direction = Direction(g);
        // Without a curvature pair the direction is the raw gradient, whose size is the loss's scale,
        // not the variable's: like PyTorch's first step, move at most one unit in L1. (PyTorch does
        // this only on the very first iteration; if that step is too small to yield a pair, its second
        // step is the raw gradient, which overflows on large images — seen at 512².)
        double scale = _history.Count == 0
            ? Math.Min(1, 1 / g.abs().sum().to(ScalarType.Float64).item<double>()) * _learningRate
            : _learningRate;
        var step = direction * scale;
        using (no_grad()) _variable.add_(step.view_as(_variable));

        _previousGradient?.Dispose();
        _previousStep?.Dispose();
        _previousGradient = g.DetachFromDisposeScope();
        _previousStep = step.DetachFromDisposeScope();
        Iterations++;
    }

    /// <summary>The two-loop recursion: −H g with H the L-BFGS inverse-Hessian estimate.</summary>
    Tensor Direction(Tensor g)
    {
        var q = -g;
        if (_history.Count == 0) return q;
        var alphas = new Stack<Tensor>();
        for (var node = _history.Last; node is not null; node = node.Previous)
        {
            var (s, y, rho) = node.Value;
            var alpha = rho * s.dot(q);
            q = q - alpha * y;
            alphas.Push(alpha);
        }
        var (lastS, lastY, _) = _history.Last!.Value;
        var r = q * (lastS.dot(lastY) / lastY.dot(lastY));   // initial H₀ = γI, γ = sᵀy / yᵀy
        foreach (var (s, y, rho) in _history)
        {
            var beta = rho * y.dot(r);
            r = r + s * (alphas.Pop() - beta);
        }
        return r;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var (s, y, rho) in _history) { s.Dispose(); y.Dispose(); rho.Dispose(); }
        _history.Clear();
        _previousGradient?.Dispose();
        _previousStep?.Dispose();
    }
}
