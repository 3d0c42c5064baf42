using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Weights;

/// <summary>
/// The few Lua <c>nn</c> modules with no PyTorch counterpart, as <see cref="Torch7Network"/> runs them. Each
/// computes exactly what its Lua <c>updateOutput</c> does.
/// </summary>
public static class Torch7Layers
{
    /// <summary>
    /// <c>nn.ShaveImage(s)</c> (fast-neural-style): crops <c>s</c> pixels from every side. Its residual blocks
    /// shave the shortcut by the two pixels their unpadded 3×3 convolutions lose.
    /// </summary>
    public sealed class ShaveImage(long size) : nn.Module<Tensor, Tensor>("ShaveImage")
    {
        public override Tensor forward(Tensor x) =>
            x.narrow(2, size, x.shape[2] - 2 * size).narrow(3, size, x.shape[3] - 2 * size);
    }

    /// <summary><c>nn.MulConstant(c)</c>: <c>c·x</c> (fast-neural-style's <c>tanh_constant</c> after its Tanh).</summary>
    public sealed class MulConstant(double constant) : nn.Module<Tensor, Tensor>("MulConstant")
    {
        public override Tensor forward(Tensor x) => x * constant;
    }

    /// <summary><c>nn.AddConstant(c)</c>: <c>x + c</c>.</summary>
    public sealed class AddConstant(double constant) : nn.Module<Tensor, Tensor>("AddConstant")
    {
        public override Tensor forward(Tensor x) => x + constant;
    }

    /// <summary>
    /// <c>nn.SpatialReflectionPadding</c>, <c>…ReplicationPadding</c>, <c>…ZeroPadding</c>: left, right, top,
    /// bottom pads, which Lua lets differ.
    /// </summary>
    public sealed class Padding(long left, long right, long top, long bottom, PaddingModes mode) : nn.Module<Tensor, Tensor>("Padding")
    {
        public override Tensor forward(Tensor x) => F.pad(x, [left, right, top, bottom], mode);
    }

    /// <summary>
    /// <c>nn.ConcatTable</c> followed by <c>nn.CAddTable</c>: every branch sees the input and their outputs are
    /// summed — a residual block. The branches are children <c>0</c>, <c>1</c>, … as in the Lua container, so the
    /// parameters keep the keys <see cref="Torch7Modules"/> gives them.
    /// </summary>
    public sealed class BranchSum : nn.Module<Tensor, Tensor>
    {
        readonly nn.Module<Tensor, Tensor>[] _branches;

        public BranchSum(IReadOnlyList<nn.Module<Tensor, Tensor>> branches) : base("BranchSum")
        {
            _branches = [.. branches];
            for (int i = 0; i < _branches.Length; i++) register_module(i.ToString(), _branches[i]);
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var sum = _branches[0].forward(x);
            for (int i = 1; i < _branches.Length; i++)
            {
                var branch = _branches[i].forward(x);
                if (!branch.shape.SequenceEqual(sum.shape))
                    throw new ArgumentException(
                        $"the branches of an nn.ConcatTable give [{string.Join(",", sum.shape)}] and [{string.Join(",", branch.shape)}]; nn.CAddTable needs equal sizes " +
                        "(the image may be too small for the network's shaved residual blocks).");
                sum = sum + branch;
            }
            return sum.MoveToOuterDisposeScope();
        }
    }
}
