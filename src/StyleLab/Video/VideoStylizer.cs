using StyleLab.Methods;
using StyleLab.Methods.Gatys;
using static TorchSharp.torch;

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
            output = Stylize(frame, controls, progress, cancellationToken);
        else
        {
            using var motion = FrameMotion.Between(_previousInput, frame, _options.Flow);
            var warped = FlowWarp.Warp(_previousOutput, motion.Backward);
            output = _options.Temporal switch
            {
                TemporalMode.Blend => Blend(Stylize(frame, controls, progress, cancellationToken), warped, motion.Mask),
                TemporalMode.Ruder => Ruder(frame, warped, motion.Mask, controls, progress, cancellationToken),
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

    Tensor Stylize(Tensor frame, StyleControls controls, IProgress<StyleProgress>? progress, CancellationToken cancellationToken)
    {
        var image = _method.Stylize(frame, _styles, controls, progress, cancellationToken);
        // A method may round its output size (e.g. to a multiple of its stride): the video keeps the frame's size.
        return image.shape[2] == frame.shape[2] && image.shape[3] == frame.shape[3] ? image
            : Imaging.Resampling.Resize(image, (int)frame.shape[3], (int)frame.shape[2]);
    }

    /// <summary>o_t = s·c·warp(o_{t−1}) + (1 − s·c)·stylised_t.</summary>
    Tensor Blend(Tensor current, Tensor warped, Tensor mask)
    {
        var keep = mask * _options.Strength;
        return keep * warped + (1 - keep) * current;
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
        _previousInput?.Dispose();
        _previousOutput?.Dispose();
    }
}
