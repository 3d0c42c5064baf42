using static TorchSharp.torch;

namespace StyleLab.Video;

/// <summary>
/// The flicker metric of Lai et al. (ECCV 2018): the warping error between two consecutive outputs,
/// <c>E = Σ M(x) ‖V_t(x) − V̂_{t−1}(x)‖² / Σ M(x)</c>, V̂ the previous output warped with the flow of the
/// <b>input</b> frames and M the non-occlusion mask (<see cref="OcclusionMask"/>); RGB in [0,1], so an error of
/// 0.01 is a mean colour distance of 0.1. Lower is steadier; averaged over the frames for a whole video.
/// </summary>
public static class WarpingError
{
    /// <summary>E between output t and output t − 1, given the input's backward flow (t → t − 1) and the mask of frame t.</summary>
    public static double Between(Tensor current, Tensor previous, Tensor backwardFlow, Tensor mask)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var warped = FlowWarp.Warp(previous, backwardFlow);
        var difference = (current - warped).square().sum(1, keepdim: true);
        double weight = mask.sum().item<float>();
        return weight <= 0 ? double.NaN : (difference * mask).sum().item<float>() / weight;
    }

    /// <summary>
    /// The error of every frame after the first of an output video against its input video (same frames, same
    /// sizes), with the flow computed from the input; frame 0 has no predecessor and is left out.
    /// </summary>
    public static IReadOnlyList<double> OfVideo(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor> outputs, OpticalFlowOptions? flow = null)
    {
        if (inputs.Count != outputs.Count) throw new ArgumentException($"{inputs.Count} input frames but {outputs.Count} output frames.", nameof(outputs));
        var errors = new List<double>();
        for (int t = 1; t < inputs.Count; t++)
        {
            using var scope = NewDisposeScope();
            using var motion = FrameMotion.Between(inputs[t - 1], inputs[t], flow);
            var output = outputs[t].shape.SequenceEqual(inputs[t].shape) ? outputs[t] : Imaging.Resampling.Resize(outputs[t], (int)inputs[t].shape[3], (int)inputs[t].shape[2]);
            var previous = outputs[t - 1].shape.SequenceEqual(inputs[t].shape) ? outputs[t - 1] : Imaging.Resampling.Resize(outputs[t - 1], (int)inputs[t].shape[3], (int)inputs[t].shape[2]);
            errors.Add(Between(output, previous, motion.Backward, motion.Mask));
        }
        return errors;
    }
}
