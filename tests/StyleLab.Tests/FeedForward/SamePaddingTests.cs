using CsCheck;
using StyleLab.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.FeedForward;

/// <summary>TensorFlow's SAME padding: ceil(in / stride) outputs, the odd padding pixel at the end.</summary>
public class SamePaddingTests
{
    [Fact]
    public void Convolution_gives_ceil_of_size_over_stride()
    {
        Gen.Select(Gen.Int[1, 300], Gen.Int[1, 9], Gen.Int[1, 4]).Sample((size, kernel, stride) =>
        {
            var (before, after) = SamePadding.Convolution(size, kernel, stride);
            long outputs = (size + before + after - kernel) / stride + 1;
            return outputs == (size + stride - 1) / stride && after - before is 0 or 1 && before >= 0;
        });
    }

    [Theory]
    [InlineData(32, 3, 2, 0, 1)]   // even size, stride 2: TF pads only after
    [InlineData(11, 3, 2, 1, 1)]   // odd size: symmetric
    [InlineData(37, 9, 1, 4, 4)]
    public void Convolution_matches_TensorFlow(int size, int kernel, int stride, int before, int after) =>
        Assert.Equal((before, after), SamePadding.Convolution(size, kernel, stride));

    [Fact]
    public void Transposed_convolution_is_the_adjoint_of_the_SAME_convolution()
    {
        // <conv(x), y> = <x, convᵀ(y)> for the strided SAME convolution and the SAME transposed
        // convolution built from the same kernel: the defining property of TF's conv2d_transpose.
        Gen.Select(Gen.Int[1, 12], Gen.Int[1, 12]).Sample((h, w) =>
        {
            using var scope = NewDisposeScope();
            var kernel = torch.randn(5, 4, 3, 3);                    // conv: 4 → 5 channels
            var x = torch.randn(1, 4, 2 * h, 2 * w);
            var y = torch.randn(1, 5, h, w);
            var (top, bottom) = SamePadding.Convolution(2 * h, 3, 2);
            var (left, right) = SamePadding.Convolution(2 * w, 3, 2);
            var conv = nn.functional.conv2d(nn.functional.pad(x, [left, right, top, bottom]), kernel, strides: [2, 2]);
            var full = nn.functional.conv_transpose2d(y, kernel, strides: [2, 2]);
            var transposed = full.narrow(2, SamePadding.TransposedCrop(h, 3, 2), 2 * h).narrow(3, SamePadding.TransposedCrop(w, 3, 2), 2 * w);
            double lhs = (conv * y).sum().item<float>(), rhs = (x * transposed).sum().item<float>();
            return Math.Abs(lhs - rhs) < 1e-3 * (1 + Math.Abs(lhs));
        }, iter: 30);
    }
}
