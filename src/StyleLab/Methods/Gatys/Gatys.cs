using StyleLab.Runtime;
using System.Diagnostics;
using StyleLab.Encoders;
using StyleLab.Imaging;
using StyleLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StyleLab.Methods.Gatys;

/// <summary>
/// Gatys, Ecker &amp; Bethge, "Image Style Transfer Using Convolutional Neural Networks" (CVPR 2016):
/// the pixels of an image are optimised so that its VGG-19 features match the content image's
/// (eq. 1) and its Gram matrices match the style image's (eqs. 3–5), minimising
/// <c>α L_content + β L_style</c> (eq. 7). With the follow-ups of Gatys et al. (CVPR 2017): colour
/// preservation, spatial control by masks, and coarse-to-fine pyramids.
/// </summary>
public static class Gatys
{
    /// <summary>
    /// Stylises <paramref name="content"/> with <paramref name="style"/>. Images are [1,3,H,W] float32 RGB
    /// in [0,1]; the run happens on the content's device (the encoder must be there too; the style image
    /// and masks are moved). The style image may have any size.
    /// </summary>
    /// <param name="encoder">A frozen VGG-19; it must reach every layer in the options.</param>
    /// <param name="content">The content image.</param>
    /// <param name="style">The style image.</param>
    /// <param name="options">Defaults to <see cref="GatysOptions.For"/> the encoder.</param>
    /// <param name="masks">Optional spatial control (guided Gram matrices).</param>
    /// <param name="progress">Receives a <see cref="GatysReport"/> after every step.</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    /// <param name="temporal">
    /// Video (Ruder et al. 2016): start from the warped previous frame and add the short-term temporal loss.
    /// </param>
    /// <exception cref="OperationCanceledException">
    /// Cancelled: the run stops before its next step and frees everything it made. It throws rather than
    /// returning a partial image because the reports' previews already show the progress.
    /// </exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite.</exception>
    /// <remarks>
    /// The optimised variable is the image itself in [0,1] pixel space (the encoder applies the
    /// network's preprocessing, differentiably). Adam steps are projected back into [0,1]. L-BFGS steps
    /// are not clamped — clamping would move the pixels behind L-BFGS's back and falsify the curvature
    /// pairs it builds its steps from — which is what neural-style does too; the image is clamped when
    /// shown (previews) and returned.
    /// </remarks>
    public static GatysResult Run(Vgg19Encoder encoder, Tensor content, Tensor style, GatysOptions? options = null,
        GatysMasks? masks = null, IProgress<GatysReport>? progress = null, CancellationToken cancellationToken = default,
        GatysTemporal? temporal = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        options ??= GatysOptions.For(encoder);
        Validate(encoder, content, style, options, masks);
        if (temporal is not null) ValidateTemporal(temporal, content);
        long height = content.shape[2], width = content.shape[3];
        bool lbfgs = options.Optimizer == GatysOptimizer.Lbfgs;
        PeakMemory.Require(PeakMemory.Gatys(height, width, style.shape[2], style.shape[3], lbfgs), "Gatys style transfer", height, width,
            PeakMemory.GatysPerPixel(lbfgs));
        var clock = Stopwatch.StartNew();
        var device = content.device;
        var history = new LossHistory();
        var snapshots = new List<(int Step, Tensor Image)>();
        try
        {
            using var scope = NewDisposeScope();
            var onDevice = masks is null ? null
                : new GatysMasks(masks.Content.Select(m => m.to(device)).ToList(), masks.Style.Select(m => m.to(device)).ToList());
            var (target, exemplar) = GatysColor.Prepare(content, style.to(device), options.PreserveColor);

            int levels = options.PyramidLevels;
            Tensor? image = null;
            for (int level = 0; level < levels; level++)
            {
                using var levelScope = NewDisposeScope();
                int factor = 1 << (levels - 1 - level);
                var levelContent = Scaled(target, factor);
                var levelStyle = Scaled(exemplar, factor);
                var start = image is not null ? Resampling.Resize(image, (int)levelContent.shape[3], (int)levelContent.shape[2])
                    : temporal is not null ? Resampling.Resize(temporal.Previous.to(device), (int)levelContent.shape[3], (int)levelContent.shape[2])
                    : Initial(options, levelContent, levelStyle);
                using var objective = new GatysObjective(encoder, levelContent, levelStyle, options, onDevice, temporal);
                var position = new Level(level + 1, levels, level * options.Steps, levels * options.Steps);
                image = Optimise(objective, start, options, position, content, history, snapshots, progress, cancellationToken)
                    .MoveToOuterDisposeScope();
            }
            var result = GatysColor.Restore(image!, content, options.PreserveColor).MoveToOuterDisposeScope();
            return new GatysResult(result, history, snapshots, clock.Elapsed);
        }
        catch
        {
            foreach (var (_, snapshot) in snapshots) snapshot.Dispose();
            throw;
        }
    }

    /// <summary>Where a pyramid level sits in the run, for step numbering.</summary>
    readonly record struct Level(int Number, int Count, int FirstStep, int TotalSteps);

    /// <summary>Optimises one level's image; returns it (unclamped for L-BFGS), in the current dispose scope.</summary>
    static Tensor Optimise(GatysObjective objective, Tensor start, GatysOptions options, Level level, Tensor content,
        LossHistory history, List<(int Step, Tensor Image)> snapshots, IProgress<GatysReport>? progress, CancellationToken cancellationToken)
    {
        using var pixels = new Parameter(start.detach().clone(), requires_grad: true);
        // L-BFGS: one step = one loss evaluation and one quasi-Newton update (no line search).
        using var lbfgs = options.Optimizer == GatysOptimizer.Lbfgs ? new Lbfgs(pixels) : null;
        using var adam = options.Optimizer == GatysOptimizer.Adam ? optim.Adam([pixels], lr: options.LearningRate) : null;

        for (int i = 1; i <= options.Steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int step = level.FirstStep + i;
            using var stepScope = NewDisposeScope();

            using (var grad = pixels.grad) grad?.zero_();
            var (total, terms) = objective.Evaluate(pixels);
            // A step at 256² is a second or more on a CPU: check between its forward and backward passes too.
            cancellationToken.ThrowIfCancellationRequested();
            total.backward();

            var values = Read(terms);
            double totalValue = values["content"] + values["style"] + values["tv"] + values.GetValueOrDefault("temporal");
            if (double.IsNaN(totalValue))
                throw new InvalidOperationException($"loss became NaN at step {step}; lower the learning rate or style weight");
            if (double.IsInfinity(totalValue))
                throw new InvalidOperationException($"loss became infinite at step {step}; lower the learning rate or style weight");

            if (lbfgs is not null) lbfgs.Step();
            else
            {
                adam!.step();
                using (no_grad()) pixels.clamp_(0, 1);
            }

            history.Add(step, values);
            Tensor? preview = null;
            if (options.PreviewEvery > 0 && step % options.PreviewEvery == 0)
            {
                var snapshot = GatysColor.Restore(pixels, content, options.PreserveColor).cpu();
                snapshots.Add((step, snapshot.clone().DetachFromDisposeScope()));
                if (progress is not null) preview = snapshot.clone().DetachFromDisposeScope();
            }
            progress?.Report(new GatysReport(step, level.TotalSteps, level.Number, level.Count, values, totalValue, preview));
        }
        return pixels.detach().clone();
    }

    /// <summary>The weighted terms as numbers, read back from the device in one transfer.</summary>
    static Dictionary<string, double> Read(List<(string Name, Tensor Value)> terms)
    {
        using var scope = NewDisposeScope();
        var numbers = stack(terms.Select(t => t.Value.detach().to(ScalarType.Float64)).ToArray()).cpu().data<double>().ToArray();
        return terms.Select((t, i) => (t.Name, numbers[i])).ToDictionary(t => t.Name, t => t.Item2);
    }

    static Tensor Initial(GatysOptions options, Tensor content, Tensor style) => options.Init switch
    {
        GatysInit.Content => content.clone(),
        GatysInit.Style => Resampling.Resize(style, (int)content.shape[3], (int)content.shape[2]),
        _ => Noise(content, options.Seed),
    };

    /// <summary>White noise in [0,1] from a private generator, so the caller's random state is untouched.</summary>
    static Tensor Noise(Tensor like, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed), like.device);
        return rand(like.shape, generator: generator, dtype: like.dtype, device: like.device);
    }

    /// <summary>The image shrunk by <paramref name="factor"/> (a pyramid level); a copy when the factor is 1.</summary>
    static Tensor Scaled(Tensor image, int factor) => factor == 1 ? image.clone()
        : Resampling.Resize(image, Math.Max(1, (int)Math.Round(image.shape[3] / (double)factor)),
            Math.Max(1, (int)Math.Round(image.shape[2] / (double)factor)));

    static void Validate(Vgg19Encoder encoder, Tensor content, Tensor style, GatysOptions options, GatysMasks? masks)
    {
        RequireImage(content, nameof(content));
        RequireImage(style, nameof(style));
        if (options.Steps < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Steps, "GatysOptions.Steps must be at least 1.");
        if (options.PyramidLevels < 1) throw new ArgumentOutOfRangeException(nameof(options), options.PyramidLevels, "GatysOptions.PyramidLevels must be at least 1 (1 = no pyramid).");
        if (options.PreviewEvery < 0) throw new ArgumentOutOfRangeException(nameof(options), options.PreviewEvery, "GatysOptions.PreviewEvery must be 0 (off) or positive.");
        if (options.ContentLayers.Count + options.StyleLayers.Count == 0) throw new ArgumentException("GatysOptions names no content and no style layer.", nameof(options));
        if (options.Optimizer == GatysOptimizer.Adam && !(options.LearningRate > 0 && double.IsFinite(options.LearningRate)))
            throw new ArgumentOutOfRangeException(nameof(options), options.LearningRate, "GatysOptions.LearningRate must be positive and finite for Adam.");
        // NaN passes every comparison, so each weight is checked to be a number ≥ 0 first: a NaN weight gives a NaN loss after the work started.
        foreach (var (name, value) in new[] { ("ContentWeight", options.ContentWeight), ("StyleWeight", options.StyleWeight), ("TvWeight", options.TvWeight) }
                     .Concat(options.ContentLayers.Concat(options.StyleLayers).Select(kv => ($"the weight of layer {kv.Key}", kv.Value))))
            if (!(value >= 0 && double.IsFinite(value)))
                throw new ArgumentOutOfRangeException(nameof(options), value, $"GatysOptions: {name} must be a finite number ≥ 0, not {value}.");

        var deepest = options.Layers.Select(encoder.Require).MaxBy(l => l.Index)!;   // names an unsupported layer clearly
        var weight = encoder.parameters().First();
        if (weight.device_type != content.device_type || weight.device_index != content.device_index)
            throw new ArgumentException($"The encoder is on {weight.device} but the content image is on {content.device}; move one of them (encoder.to(device)).", nameof(encoder));

        long factor = 1L << (options.PyramidLevels - 1);
        long smallest = Math.Min(Math.Min(content.shape[2], content.shape[3]), Math.Min(style.shape[2], style.shape[3])) / factor;
        if (smallest < deepest.Stride)
            throw new ArgumentException(
                $"With {options.PyramidLevels} pyramid levels the coarsest images are about {smallest} pixels on their shorter side, " +
                $"too small for layer '{deepest.Name}' ({deepest.Stride}× down-sampled). Use fewer levels or larger images.", nameof(options));

        if (masks is null) return;
        if (masks.Content.Count == 0 || masks.Content.Count != masks.Style.Count)
            throw new ArgumentException($"GatysMasks needs one style mask per content mask and at least one region; got {masks.Content.Count} content and {masks.Style.Count} style masks.", nameof(masks));
        for (int k = 0; k < masks.Content.Count; k++)
        {
            RequireMask(masks.Content[k], content, $"content mask {k}");
            RequireMask(masks.Style[k], style, $"style mask {k}");
        }
    }

    static void ValidateTemporal(GatysTemporal temporal, Tensor content)
    {
        RequireImage(temporal.Previous, "temporal.Previous");
        if (temporal.Previous.shape[2] != content.shape[2] || temporal.Previous.shape[3] != content.shape[3])
            throw new ArgumentException($"The warped previous frame [{string.Join(",", temporal.Previous.shape)}] must have the content's size [{string.Join(",", content.shape)}].", nameof(temporal));
        RequireMask(temporal.Weights, content, "temporal weight map c");
        if (!(temporal.Weight >= 0 && double.IsFinite(temporal.Weight)))
            throw new ArgumentOutOfRangeException(nameof(temporal), temporal.Weight, $"GatysTemporal.Weight must be a finite number ≥ 0, not {temporal.Weight}.");
    }

    static void RequireImage(Tensor image, string name)
    {
        if (image.dim() != 4 || image.shape[0] != 1 || image.shape[1] != 3)
            throw new ArgumentException($"'{name}' must be one RGB image [1,3,H,W] in [0,1]; got [{string.Join(",", image.shape)}].", name);
    }

    static void RequireMask(Tensor mask, Tensor image, string name)
    {
        if (mask.dim() != 4 || mask.shape[0] != 1 || mask.shape[1] != 1 || mask.shape[2] != image.shape[2] || mask.shape[3] != image.shape[3])
            throw new ArgumentException(
                $"The {name} must be [1,1,{image.shape[2]},{image.shape[3]}] (its image's size); got [{string.Join(",", mask.shape)}].", "masks");
    }
}
