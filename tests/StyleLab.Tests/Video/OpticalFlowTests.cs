using StyleLab.Video;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace StyleLab.Tests.Video;

public class OpticalFlowTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Pan_flow_end_point_error_is_small()
    {
        using var clip = VideoClips.Pan();
        Skip.If(clip is null, "../shared photos are absent");
        var errors = new List<double>();
        for (int t = 1; t < clip.Frames.Count; t++)
        {
            using var scope = NewDisposeScope();
            var flow = OpticalFlow.Compute(clip.Frames[t], clip.Frames[t - 1]);
            var visible = clip.Visible[t - 1];
            var epe = (flow - clip.Flows[t - 1]).square().sum(1, keepdim: true).sqrt();
            errors.Add((epe * visible).sum().item<float>() / visible.sum().item<float>());
        }
        output.WriteLine($"pan (2.5, −1.25) px/frame at 128×96: EPE per frame {string.Join(", ", errors.Select(e => e.ToString("F3")))}, mean {errors.Average():F3} px");
        // Measured 0.29 px mean (0.21 px away from the 8-px border, where replicated borders mislead the window);
        // the untextured sky is filled in from the skyline. 0.4 px leaves room for other BLAS/CPUs, well below the 2.8 px motion.
        Assert.True(errors.Average() < 0.4, $"mean end-point error {errors.Average():F3} px");
    }

    [SkippableFact]
    public void Sprite_flow_is_found_and_the_uncovered_background_is_masked()
    {
        using var clip = VideoClips.Sprite();
        Skip.If(clip is null, "../shared photos are absent");
        double accuracy = 0, recall = 0, fullRecall = 0, kept = 0, spriteEpe = 0;
        int n = clip.Frames.Count - 1;
        for (int t = 1; t <= n; t++)
        {
            using var scope = NewDisposeScope();
            var backward = OpticalFlow.Compute(clip.Frames[t], clip.Frames[t - 1]);
            var forward = OpticalFlow.Compute(clip.Frames[t - 1], clip.Frames[t]);
            var (disoccluded, boundary, outside) = OcclusionMask.Parts(backward, forward);
            var truth = clip.Visible[t - 1];
            var hidden = 1 - truth;
            // Disocclusion against the truth; the motion-boundary band is Ruder's extra caution, reported apart.
            accuracy += ((1 - disoccluded) == truth).to(ScalarType.Float32).mean().item<float>();
            recall += (disoccluded * hidden).sum().item<float>() / hidden.sum().item<float>();
            var mask = OcclusionMask.Compute(backward, forward);
            kept += (mask * truth).sum().item<float>() / truth.sum().item<float>();
            fullRecall += ((1 - mask) * hidden).sum().item<float>() / hidden.sum().item<float>();
            // Inside the sprite, away from its edges (the true flow is (−4, 0) there).
            var inner = (clip.Flows[t - 1][.., 0..1] != 0).to(ScalarType.Float32);
            inner = -nn.functional.max_pool2d(-inner, 7, 1, 3);
            spriteEpe += ((backward - clip.Flows[t - 1]).square().sum(1, keepdim: true).sqrt() * inner).sum().item<float>() / inner.sum().item<float>();
        }
        accuracy /= n; recall /= n; fullRecall /= n; kept /= n; spriteEpe /= n;
        output.WriteLine($"sprite 4 px/frame at 128×96: disocclusion accuracy {accuracy:P1}, uncovered background marked disoccluded {recall:P1}, masked (any reason) {fullRecall:P1}, " +
            $"visible pixels the full mask keeps {kept:P1}, sprite-interior EPE {spriteEpe:F3} px");
        // Measured 89 %: mostly inside Ruder's motion-boundary band, as the smoothed flow blurs the sprite's edge.
        Assert.True(fullRecall > 0.8, $"only {fullRecall:P1} of the uncovered background was masked");
        Assert.True(accuracy > 0.95, $"disocclusion accuracy {accuracy:P1}");
        Assert.True(kept > 0.6, $"the mask keeps only {kept:P1} of the visible pixels");
        Assert.True(spriteEpe < 0.5, $"sprite EPE {spriteEpe:F3} px");
    }

    [Fact]
    public void Warp_by_a_whole_pixel_shift_moves_the_image()
    {
        using var scope = NewDisposeScope();
        var image = rand(1, 3, 8, 10);
        var flow = cat([full(1, 1, 8, 10, 2f), zeros(1, 1, 8, 10)], 1);
        var warped = FlowWarp.Warp(image, flow);
        Assert.True(warped[.., .., .., 0..8].allclose(image[.., .., .., 2..10], 1e-5, 1e-5));
        var inside = FlowWarp.Inside(flow);
        Assert.Equal(8 * 8, inside.sum().item<float>());
    }

    [Fact]
    public void Flow_colour_map_is_white_at_rest_and_red_for_motion_to_the_right_in_Middlebury_convention()
    {
        using var scope = NewDisposeScope();
        var flow = zeros(1, 2, 2, 2);
        flow[0, 0, 0, 0] = 1;                // (u, v) = (1, 0)
        var colours = FlowColorMap.Render(flow);
        Assert.True(colours[0, .., 1, 1].allclose(ones(3)));
        var right = colours[0, .., 0, 0];
        Assert.True(right[0].item<float>() > 0.99 && right[1].item<float>() < 0.01 && right[2].item<float>() < 0.01 || right[2].item<float>() > 0.9,
            $"colour of (1,0): {string.Join(",", right.data<float>().ToArray())}");
    }
}
