using StyleLab.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Tests.Contract;

/// <summary>
/// The contract of <see cref="IStyleTransfer"/>, one theory per claim over every method: what comes back, what it
/// costs in tensors, how controls are honoured or refused.
/// </summary>
public class StyleTransferContractTests
{
    static Tensor Image(long seed, long h, long w, double low = 0, double high = 1)
    {
        using var generator = new Generator((ulong)seed);
        return rand([1, 3, h, w], generator: generator) * (high - low) + low;
    }

    [SkippableTheory]
    [MemberData(nameof(ContractMethods.Names), MemberType = typeof(ContractMethods))]
    public void The_output_is_a_finite_image_in_0_1_of_the_contents_size_on_its_device(string name)
    {
        using var method = ContractMethods.Build(name);
        using var scope = NewDisposeScope();
        var content = cat([Image(1, 24, 20), Image(2, 24, 20)], 0);
        var styles = ContractMethods.Styles(method, Image(3, 28, 36));
        var output = method.Stylize(content, styles);
        Assert.Equal(new long[] { 2, 3, 24, 20 }, output.shape);
        Assert.Equal(content.device.ToString(), output.device.ToString());
        Assert.Equal(ScalarType.Float32, output.dtype);
        Assert.True(isfinite(output).all().item<bool>());
        Assert.True(output.min().item<float>() >= 0 && output.max().item<float>() <= 1);

        var resized = method.Stylize(content.narrow(0, 0, 1), styles, StyleControls.Default with { Size = 16 });
        Assert.Equal(16, Math.Max(resized.shape[2], resized.shape[3]));
    }

    [SkippableTheory]
    [MemberData(nameof(ContractMethods.Names), MemberType = typeof(ContractMethods))]
    public void A_call_leaves_no_tensor_behind_but_its_output(string name)
    {
        using var method = ContractMethods.Build(name);
        using var content = Image(4, 20, 20);
        using var style = Image(5, 20, 24);
        var styles = ContractMethods.Styles(method, style);
        method.Stylize(content, styles).Dispose();                     // first call: lazy state, if any
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var output = method.Stylize(content, styles);
        Assert.Equal(before + 1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        output.Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [SkippableTheory]
    [MemberData(nameof(ContractMethods.Names), MemberType = typeof(ContractMethods))]
    public void Cancellation_is_honoured_before_the_run_and_between_its_steps(string name)
    {
        using var method = ContractMethods.Build(name);
        using var scope = NewDisposeScope();
        var content = Image(6, 20, 20);
        var styles = ContractMethods.Styles(method, Image(7, 20, 20));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => method.Stylize(content, styles, cancellationToken: cancelled.Token));

        // A method that reports a step before its last must stop there when cancelled.
        using var midway = new CancellationTokenSource();
        StyleProgress? first = null;
        var progress = new Relay(p => { first ??= p; if (p.Step < p.Steps) midway.Cancel(); });
        try
        {
            method.Stylize(content, styles, progress: progress, cancellationToken: midway.Token).Dispose();
            Assert.False(midway.IsCancellationRequested, $"{name} was cancelled after step {first?.Step} of {first?.Steps} but finished");
        }
        catch (OperationCanceledException) { Assert.True(midway.IsCancellationRequested); }
        Assert.NotNull(first);
        Assert.Equal(method.Method, first.Method);
    }

    [SkippableTheory]
    [MemberData(nameof(ContractMethods.Names), MemberType = typeof(ContractMethods))]
    public void Alpha_zero_leaves_the_style_no_influence_where_the_paper_defines_alpha(string name)
    {
        using var method = ContractMethods.Build(name);
        using var scope = NewDisposeScope();
        var content = Image(8, 20, 20);
        var alpha0 = StyleControls.Default with { Alpha = 0 };
        if (!method.Supports.HasFlag(StyleControl.Alpha))
        {
            var error = Assert.Throws<NotSupportedException>(() => method.Stylize(content, ContractMethods.Styles(method, Image(9, 20, 20)), alpha0));
            Assert.Contains(name, error.Message);
            Assert.Contains("α", error.Message);
            return;
        }
        var dark = method.Stylize(content, [Image(9, 20, 20, 0, 0.3)], alpha0);
        var bright = method.Stylize(content, [Image(10, 16, 24, 0.6, 1)], alpha0);
        Assert.True(allclose(dark, bright, rtol: 0, atol: 1e-5), $"{name}: α = 0 differs by {(dark - bright).abs().max().item<float>()} between styles");
        var full = method.Stylize(content, [Image(10, 16, 24, 0.6, 1)]);
        Assert.False(allclose(full, bright, rtol: 0, atol: 1e-4), $"{name}: α = 1 should carry the style; differs by {(full - bright).abs().max().item<float>()}, output spread {full.std().item<float>()}");
    }

    [SkippableTheory]
    [MemberData(nameof(ContractMethods.Names), MemberType = typeof(ContractMethods))]
    public void Interpolating_with_all_weight_on_one_style_is_that_styles_transfer(string name)
    {
        using var method = ContractMethods.Build(name);
        using var scope = NewDisposeScope();
        var content = Image(11, 20, 20);
        Tensor first = Image(12, 20, 20, 0, 0.4), second = Image(13, 24, 20, 0.5, 1);
        if (!method.Supports.HasFlag(StyleControl.Interpolation))
        {
            var error = Assert.ThrowsAny<Exception>(() => method.Stylize(content, [first, second], StyleControls.Default with { StyleWeights = [0, 1] }));
            Assert.True(error is ArgumentException or NotSupportedException, error.GetType().Name);
            Assert.Contains(name, error.Message);
            return;
        }
        var mixed = method.Stylize(content, [first, second], StyleControls.Default with { StyleWeights = [0, 3] });
        var single = method.Stylize(content, [second]);
        Assert.True(allclose(mixed, single, rtol: 0, atol: 1e-5), $"{name}: differs by {(mixed - single).abs().max().item<float>()}");
    }

    [SkippableTheory]
    [MemberData(nameof(ContractMethods.Names), MemberType = typeof(ContractMethods))]
    public void Masks_keep_each_regions_style(string name)
    {
        using var method = ContractMethods.Build(name);
        using var scope = NewDisposeScope();
        var content = Image(14, 32, 32);
        Tensor dark = Image(15, 24, 24, 0, 0.2), bright = Image(16, 24, 24, 0.8, 1);
        var left = zeros(32, 32);
        left[.., ..16] = 1;
        var masks = StyleControls.Default with { Masks = [left, 1 - left] };
        if (!method.Supports.HasFlag(StyleControl.Masks))
        {
            var error = Assert.ThrowsAny<Exception>(() => method.Stylize(content, [dark, bright], masks));
            Assert.True(error is ArgumentException or NotSupportedException, error.GetType().Name);
            Assert.Contains(name, error.Message);
            return;
        }
        var masked = method.Stylize(content, [dark, bright], masks);
        var allDark = method.Stylize(content, [dark]);
        var allBright = method.Stylize(content, [bright]);
        // Away from the seam (the decoders' receptive fields cross it), each half is nearer its own style's transfer.
        double Distance(Tensor a, Tensor b, Range columns) => (a[.., .., .., columns] - b[.., .., .., columns]).abs().mean().item<float>();
        Assert.True(Distance(masked, allDark, ..10) < Distance(masked, allBright, ..10), $"{name}: left half is not the first style's");
        Assert.True(Distance(masked, allBright, 22..) < Distance(masked, allDark, 22..), $"{name}: right half is not the second style's");
    }

    [SkippableTheory]
    [MemberData(nameof(ContractMethods.Names), MemberType = typeof(ContractMethods))]
    public void Bad_images_and_controls_are_clear_errors(string name)
    {
        using var method = ContractMethods.Build(name);
        using var scope = NewDisposeScope();
        var content = Image(17, 20, 20);
        var styles = ContractMethods.Styles(method, Image(18, 20, 20));
        var alpha = Assert.Throws<ArgumentOutOfRangeException>(() => method.Stylize(content, styles, StyleControls.Default with { Alpha = 1.5 }));
        Assert.Contains("[0, 1]", alpha.Message);
        var grey = Assert.ThrowsAny<ArgumentException>(() => method.Stylize(zeros(1, 1, 20, 20), styles));
        Assert.Contains("[N,3,H,W]", grey.Message);
        var tooMany = Assert.ThrowsAny<ArgumentException>(() => method.Stylize(content, [.. styles, .. styles, Image(19, 8, 8)], StyleControls.Default with { StyleWeights = [1] }));
        Assert.Contains(method.StyleCount.Max >= 3 ? "weights" : name, tooMany.Message);
        if (!method.Supports.HasFlag(StyleControl.PreserveColor))
        {
            var color = Assert.Throws<NotSupportedException>(() => method.Stylize(content, styles, StyleControls.Default with { PreserveColor = true }));
            Assert.Contains("colour preservation", color.Message);
        }
    }

    sealed class Relay(Action<StyleProgress> report) : IProgress<StyleProgress>
    {
        public void Report(StyleProgress value) => report(value);
    }
}
