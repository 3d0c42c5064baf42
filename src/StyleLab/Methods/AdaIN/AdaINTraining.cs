using StyleLab.Weights;
using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Losses;
using StyleLab.Training;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.AdaIN;

/// <summary>
/// AdaIN's decoder as <see cref="TrainingLoop{TBatch}"/> trains it (§6.2, official <c>net.py</c>): with
/// <c>t = AdaIN(f(c), f(s))</c>, the content loss is the MSE between <c>f(g(t))</c> and <c>t</c> at the
/// AdaIN layer (eq. 11) and the style loss the MSEs of the channel means and standard deviations of
/// <c>φ_i(g(t))</c> and <c>φ_i(s)</c> over <c>relu1_1 …</c> the AdaIN layer (eq. 12). Only the decoder learns.
/// </summary>
/// <remarks>
/// With <see cref="AdaINTrainingOptions.WarmupSteps"/> &gt; 0 the first steps instead teach the decoder to
/// invert the encoder on the content crops (<see cref="ReconstructionLoss"/>, WCT's decoder loss; terms
/// "pixel", "feature"). A loss in feature space alone leaves a fresh decoder's colours and low frequencies
/// nearly free, so a short run from random weights paints blotches; a decoder that already draws photos
/// learns the style statistics in hundreds of steps. The paper has no warm-up (the default, 0). The state
/// dict keeps the step (<c>adain.step</c>), so a resumed run switches at the same step.
/// </remarks>
public sealed class AdaINTraining : ITrainable<ImagePair>, IDisposable
{
    const string StepKey = "adain.step";

    readonly AdaINTrainingOptions _options;
    readonly Tensor _step = zeros(1, ScalarType.Int64);

    /// <summary>Trains <paramref name="model"/>'s decoder in place (the encoder stays frozen).</summary>
    public AdaINTraining(AdaINModel model, AdaINTrainingOptions? options = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? new AdaINTrainingOptions();
        Phases = [new TrainingPhase<ImagePair>("decoder", model.Decoder.parameters().ToList(), Loss)];
    }

    /// <summary>
    /// A fresh decoder for <paramref name="encoder"/> at <see cref="AdaINTrainingOptions.Layer"/> (default:
    /// <c>relu4_1</c>, or the deepest <c>reluN_1</c> the weights reach), initialised from the options' seed
    /// without touching the caller's random state.
    /// </summary>
    public static AdaINModel CreateModel(Vgg19Encoder encoder, AdaINTrainingOptions? options = null, Device? device = null)
    {
        options ??= new AdaINTrainingOptions();
        var layer = options.Layer ?? NormalisedVgg.TopLayer(encoder);
        encoder.Require(layer);
        using var saved = random.get_rng_state();
        random.manual_seed(options.Seed);
        var decoder = new VggDecoder(layer);
        random.set_rng_state(saved);
        if (device is not null) decoder.to(device);
        return new AdaINModel(encoder, decoder);
    }

    /// <summary>The encoder–decoder pair being trained.</summary>
    public AdaINModel Model { get; }

    /// <inheritdoc/>
    public IReadOnlyList<TrainingPhase<ImagePair>> Phases { get; }

    /// <summary>Steps taken so far (warm-up included; restored by <see cref="LoadStateDict"/>).</summary>
    public long Step => _step.item<long>();

    /// <inheritdoc/>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = Model.Decoder.state_dict();
        state[StepKey] = _step;
        return state;
    }

    /// <inheritdoc/>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        if (state.TryGetValue(StepKey, out var step)) _step.copy_(step);
        else if (_options.WarmupSteps > 0)
            throw new InvalidDataException($"The checkpoint has no '{StepKey}' (it was written without a warm-up), so it cannot resume a run with WarmupSteps = {_options.WarmupSteps}.");
        var decoder = state.Where(kv => kv.Key != StepKey).ToDictionary(kv => kv.Key, kv => kv.Value);
        StateDictCopy.CopyInto(Model.Decoder, decoder, "checkpoint", $"AdaIN decoder from {Model.Layer}");
    }

    /// <summary>
    /// The weighted content and style terms of one batch (official <c>loss_c</c>, <c>loss_s</c>); during the
    /// warm-up, the reconstruction terms of its content crops.
    /// </summary>
    public LossTerms Loss(ImagePair batch)
    {
        bool warmingUp = Step < _options.WarmupSteps;
        _step.add_(1);
        if (warmingUp)
        {
            Model.Decoder.train();
            return ReconstructionLoss.Compute(Model.Decoder, Model.Encoder, batch.Content);
        }
        var layers = Model.StyleLayers;
        var top = Model.Layer;
        Model.Decoder.train();
        Tensor target;
        EncoderOutputs style;
        using (no_grad())
        {
            style = Model.Encoder.Encode(batch.Style, layers);
            using var content = Model.Encoder.Encode(batch.Content, [top]);
            target = AdaptiveInstanceNorm.Apply(content[top], style[top]);
        }
        using (style)
        {
            var generated = Model.Decoder.forward(target);
            using var features = Model.Encoder.Encode(generated, layers);
            var contentLoss = _options.ContentWeight * F.mse_loss(features[top], target);
            var styleLoss = layers.Select(l => MeanStdStyleLoss.Compute(features[l], style[l])).Aggregate((a, b) => a + b) * _options.StyleWeight;
            return new LossTerms(contentLoss + styleLoss, new Dictionary<string, Tensor> { ["content"] = contentLoss, ["style"] = styleLoss });
        }
    }

    /// <summary>Frees the step counter (the model belongs to the caller).</summary>
    public void Dispose() => _step.Dispose();
}
