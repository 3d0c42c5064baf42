using StyleLab.Methods;
using StyleLab.Methods.Gatys;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Video;

/// <summary>
/// Stylises a video frame by frame through the one inference interface (<see cref="IStyleTransfer"/>), keeping the
/// previous input and output to make frame t consistent with frame t − 1 (<see cref="TemporalMode"/>). Frames stream
/// through <see cref="Next"/> one at a time, so memory does not grow with the video; the flow between consecutive
/// input frames is computed for every frame after the first, and gives each frame's warping error.
/// </summary>
public sealed class VideoStylizer : IDisposable
{
    readonly IStyleTransfer _method;
    readonly IReadOnlyList<Tensor> _styles;
    readonly VideoOptions _options;
    Tensor? _previousInput;
    Tensor? _previousOutput;
    Tensor? _previousFeatures;
    Tensor? _previousOffset;
    int _index;

    /// <param name="method">Any method; <see cref="TemporalMode.Ruder"/> needs Gatys (<see cref="GatysMethod"/>).</param>
    /// <param name="styles">The style images, as the method takes them (the caller keeps ownership).</param>
    /// <param name="options">Temporal mode, strength, controls, flow.</param>
    public VideoStylizer(IStyleTransfer method, IReadOnlyList<Tensor> styles, VideoOptions? options = null)
    {
        _method = method ?? throw new ArgumentNullException(nameof(method));
        _styles = styles;
        _options = options ?? VideoOptions.Default;
        _options.Validate();
        if (_options.Temporal == TemporalMode.Ruder && method is not GatysMethod)
            throw new ArgumentException($"--temporal ruder is Ruder et al.'s optimisation and needs gatys; '{method.Method}' is feed-forward: use blend.", nameof(options));
        if (_options.Temporal == TemporalMode.Features && method is not IDecoderInputAccess)
            throw new ArgumentException($"--temporal features blends a decoder's input, and '{method.Method}' has none StyleLab can edit (fast, arbitrary and adain have): use blend.", nameof(options));
    }

    /// <summary>
    /// Stylises the next frame [1,3,H,W] in [0,1] (the caller keeps it; every frame must have the first one's size).
    /// </summary>
    public StylizedFrame Next(Tensor frame, IProgress<StyleProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (frame.dim() != 4 || frame.shape[0] != 1 || frame.shape[1] != 3)
            throw new ArgumentException($"A frame is one RGB image [1,3,H,W]; got [{string.Join(",", frame.shape)}].", nameof(frame));
        if (_previousInput is not null && !_previousInput.shape.SequenceEqual(frame.shape))
            throw new ArgumentException($"Frame {_index} is [{string.Join(",", frame.shape)}] but the video's frames are [{string.Join(",", _previousInput.shape)}].", nameof(frame));
        cancellationToken.ThrowIfCancellationRequested();
        using var scope = NewDisposeScope();
        var controls = _options.Controls with { Size = null };
        Tensor output;
        double? error = null, consistent = null;
        if (_previousInput is null || _previousOutput is null)
            output = _options.Temporal == TemporalMode.Features
                ? StylizeFeatures(frame, null, controls, progress, cancellationToken)
                : Stylize(frame, controls, progress, cancellationToken);
        else
        {
            using var motion = FrameMotion.Between(_previousInput, frame, _options.Flow);
            output = _options.Temporal switch
            {
                TemporalMode.Blend => Blend(Stylize(frame, controls, progress, cancellationToken), motion),
                TemporalMode.Ruder => Ruder(frame, FlowWarp.Warp(_previousOutput, motion.Backward), motion.Mask, controls, progress, cancellationToken),
                TemporalMode.Features => StylizeFeatures(frame, motion, controls, progress, cancellationToken),
                _ => Stylize(frame, controls, progress, cancellationToken),
            };
            error = WarpingError.Between(output, _previousOutput, motion.Backward, motion.Mask);
            consistent = motion.Mask.mean().item<float>();
        }
        _previousInput?.Dispose();
        _previousOutput?.Dispose();
        _previousInput = frame.detach().clone().DetachFromDisposeScope();
        _previousOutput = output.detach().clone().DetachFromDisposeScope();
        return new StylizedFrame(_index++, output.MoveToOuterDisposeScope(), error, consistent);
    }

    Tensor Stylize(Tensor frame, StyleControls controls, IProgress<StyleProgress>? progress, CancellationToken cancellationToken) =>
        FrameSized(_method.Stylize(frame, _styles, controls, progress, cancellationToken), frame);

    /// <summary>A method may round its output size (e.g. to a multiple of its stride): the video keeps the frame's size.</summary>
    static Tensor FrameSized(Tensor image, Tensor frame) =>
        image.shape[2] == frame.shape[2] && image.shape[3] == frame.shape[3] ? image
            : Imaging.Resampling.Resize(image, (int)frame.shape[3], (int)frame.shape[2]);

    /// <summary>
    /// Decodes f_t = s·c·warp(f_{t−1}) + (1 − s·c)·f_t at the decoder input, the flow and the mask c brought to the
    /// features' stride; f_{t−1} is the previous frame's blended input, so consistency carries on from frame to frame.
    /// </summary>
    Tensor StylizeFeatures(Tensor frame, FrameMotion? motion, StyleControls controls, IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        Tensor Blend(Tensor features)
        {
            if (motion is not null && _previousFeatures is not null && _previousFeatures.shape.SequenceEqual(features.shape))
            {
                long h = features.shape[2], w = features.shape[3];
                double stride = (double)frame.shape[2] / h;
                var flow = F.interpolate(motion.Backward, [h, w], mode: InterpolationMode.Area) / stride;
                var mask = F.interpolate(motion.Mask, [h, w], mode: InterpolationMode.Area);
                var keep = mask * _options.Strength;
                var warped = FlowWarp.Warp(_previousFeatures.to(features.device), flow.to(features.device));
                keep = keep.to(features.device);
                features = RestoreContrast(keep * warped + (1 - keep) * features, features);
            }
            _previousFeatures?.Dispose();
            _previousFeatures = features.detach().clone().DetachFromDisposeScope();
            return features;
        }
        return FrameSized(((IDecoderInputAccess)_method).Stylize(frame, _styles, controls, Blend, progress, cancellationToken), frame);
    }

    /// <summary>
    /// o_t = s·c·copy(o_{t−1}) + (1 − s·c)·stylised_t, with the previous output carried forward by <see cref="PixelCopyWarp"/>
    /// (no blur that adds up over frames) and the stylised frame's contrast restored after mixing.
    /// </summary>
    Tensor Blend(Tensor current, FrameMotion motion)
    {
        using var previousOffset = _previousOffset ?? zeros_like(motion.Backward);
        var (carried, offset) = PixelCopyWarp.Warp(_previousOutput!, previousOffset, motion.Backward);
        var keep = motion.Mask * _options.Strength;
        // A pixel that is partly fresh is partly where it should be: its offset shrinks with its fresh share.
        _previousOffset = (keep * offset).detach().DetachFromDisposeScope();
        return RestoreContrast(keep * carried + (1 - keep) * current, current).clamp(0, 1);
    }

    /// <summary>
    /// Mixing two frames whose textures do not line up exactly lowers the texture's contrast (its per-channel spread)
    /// and raises the style loss: give the mix back the spread of <paramref name="current"/>, channel by channel.
    /// </summary>
    static Tensor RestoreContrast(Tensor mix, Tensor current)
    {
        var (mixStd, mixMean) = std_mean(mix, [2, 3], keepdim: true);
        var currentStd = current.std([2, 3], keepdim: true);
        return (mix - mixMean) * (currentStd / (mixStd + 1e-5)) + mixMean;
    }

    Tensor Ruder(Tensor frame, Tensor warped, Tensor mask, StyleControls controls, IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        var gatys = (GatysMethod)_method;
        var steps = ProgressRelay<GatysReport>.To(progress, r => new StyleProgress(_method.Method, r.Step, r.TotalSteps, $"level {r.Level}/{r.Levels}"));
        var options = gatys.Options with
        {
            PreserveColor = controls.PreserveColor ? (gatys.Options.PreserveColor == ColorPreservation.None ? ColorPreservation.Luminance : gatys.Options.PreserveColor) : ColorPreservation.None,
        };
        using var result = Methods.Gatys.Gatys.Run(gatys.Encoder, frame, _styles[0], options, null, steps, cancellationToken,
            new GatysTemporal(warped.clamp(0, 1), mask, _options.TemporalWeight));
        return result.Image.clamp(0, 1);
    }

    public void Dispose()
    {
        _previousOffset?.Dispose();
        _previousFeatures?.Dispose();
        _previousInput?.Dispose();
        _previousOutput?.Dispose();
    }
}
