using StyleLab.Losses;
using static TorchSharp.torch;

namespace StyleLab.Tests.Losses;

public class ContentLossTests
{
    [Fact]
    public void Content_loss_is_half_the_squared_error()
    {
        using var target = tensor(new float[] { 0, 2, 5, 1 }).view(1, 1, 2, 2);
        using var features = tensor(new float[] { 1, 2, 3, 1 }).view(1, 1, 2, 2);
        using var loss = new ContentLoss(target);
        using var value = loss.Forward(features);
        Assert.Equal(0.5 * (1 + 0 + 4 + 0), value.item<float>(), 5);   // ½ Σ (F − P)², eq. 1
    }

    [Fact]
    public void Content_target_is_a_copy_taken_once()
    {
        using var target = tensor(new float[] { 1, 1 }).view(1, 1, 1, 2);
        using var loss = new ContentLoss(target);
        target.add_(10);                          // changing the caller's tensor afterwards changes nothing
        using var same = tensor(new float[] { 1, 1 }).view(1, 1, 1, 2);
        using var value = loss.Forward(same);
        Assert.Equal(0f, value.item<float>());
    }

    [Fact]
    public void Content_loss_gradient_is_F_minus_P()
    {
        using var target = tensor(new float[] { 0, 2, 5 }).view(1, 1, 1, 3);
        using var features = tensor(new float[] { 1, 2, 3 }).view(1, 1, 1, 3).requires_grad_();
        using var loss = new ContentLoss(target);
        using var value = loss.Forward(features);
        value.backward();
        Assert.Equal(new float[] { 1, 0, -2 }, features.grad!.data<float>().ToArray());
    }

    [Fact]
    public void A_wrong_size_is_a_clear_error()
    {
        using var loss = new ContentLoss(zeros(1, 2, 4, 4));
        using var wrong = zeros(1, 2, 4, 5);
        var e = Assert.Throws<ArgumentException>(() => loss.Forward(wrong));
        Assert.Contains("[1,2,4,5]", e.Message);
    }
}
