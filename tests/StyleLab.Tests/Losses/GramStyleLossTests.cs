using StyleLab.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Losses;

public class GramStyleLossTests
{
    [Fact]
    public void Style_loss_is_eq_4_of_the_paper()
    {
        // F: channel 0 = (1, 2), channel 1 = (3, 4) → G = [[5, 11], [11, 25]]; target identity features → A = I.
        // E = 1/(4 N² M²) Σ (G − A)², N = 2 channels, M = 2 positions: (16 + 121 + 121 + 576) / 64.
        using var target = tensor(new float[] { 1, 0, 0, 1 }).view(1, 2, 1, 2);
        using var features = tensor(new float[] { 1, 2, 3, 4 }).view(1, 2, 1, 2);
        using var loss = new GramStyleLoss(target);
        using var value = loss.Forward(features);
        Assert.Equal(834.0 / 64, value.item<float>(), 4);
    }

    [Fact]
    public void A_style_image_of_another_size_with_the_same_statistics_gives_the_same_loss()
    {
        using var small = tensor(new float[] { 1, 0, 0, 1 }).view(1, 2, 1, 2);
        using var large = tensor(new float[] { 1, 0, 1, 0, 0, 1, 0, 1 }).view(1, 2, 2, 2);   // every position twice
        using var features = tensor(new float[] { 1, 2, 3, 4 }).view(1, 2, 1, 2);
        using var fromSmall = new GramStyleLoss(small);
        using var fromLarge = new GramStyleLoss(large);
        using var a = fromSmall.Forward(features);
        using var b = fromLarge.Forward(features);
        Assert.Equal(a.item<float>(), b.item<float>(), 4);
    }

    [Fact]
    public void Style_loss_is_zero_for_the_style_features_themselves()
    {
        using var target = rand(1, 4, 5, 6);
        using var loss = new GramStyleLoss(target);
        using var value = loss.Forward(target);
        Assert.Equal(0f, value.item<float>(), 6);
    }

    [Fact]
    public void Guided_loss_compares_only_the_masked_region()
    {
        // Output: left half matches the target's statistics, right half is wild; the left mask hides it.
        using var target = torch.ones(1, 3, 4, 4);
        using var output = torch.ones(1, 3, 4, 4);
        output[.., .., .., 2..].fill_(7);
        using var left = torch.zeros(1, 1, 4, 4);
        left[.., .., .., ..2].fill_(1);
        using var loss = new GramStyleLoss(target);
        using var masked = loss.Forward(output, left);
        using var plain = loss.Forward(output);
        Assert.Equal(0f, masked.item<float>(), 5);
        Assert.True(plain.item<float>() > 1);
    }
}
