using StyleLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Training;

public class LbfgsTests
{
    [Fact]
    public void Lbfgs_minimises_an_ill_conditioned_quadratic()
    {
        // f(x) = ½ Σ c_i (x_i − t_i)², condition number 1000: plain gradient descent with a fixed step would crawl.
        using var scale = tensor(new float[] { 1, 10, 100, 1000 });
        using var target = tensor(new float[] { 1, -2, 3, 0.5f });
        using var x = zeros(4).requires_grad_();
        using var lbfgs = new Lbfgs(x);
        for (int i = 0; i < 40; i++)
        {
            using var scope = NewDisposeScope();
            using (var grad = x.grad) grad?.zero_();
            var loss = 0.5 * (scale * (x - target).square()).sum();
            loss.backward();
            lbfgs.Step();
        }
        Assert.True(x.detach().allclose(target, atol: 1e-3), string.Join(", ", x.detach().data<float>().ToArray()));
        Assert.Equal(40, lbfgs.Iterations);
    }

    [Fact]
    public void A_step_without_a_gradient_says_what_to_do()
    {
        using var x = zeros(3).requires_grad_();
        using var lbfgs = new Lbfgs(x);
        var e = Assert.Throws<InvalidOperationException>(lbfgs.Step);
        Assert.Contains("backward()", e.Message);
    }
}
