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
/// With <see cref="AdaINTrainingOptions.WarmupSteps"/> &gt; 0 a first phase instead teaches the decoder to
/// invert the encoder on the content crops (<see cref="ReconstructionLoss"/>, WCT's decoder loss; terms
/// "pixel", "feature"), with its own Adam, so the paper's phase starts with fresh moment estimates. A loss in
/// feature space alone leaves a fresh decoder's colours and low frequencies nearly free, so a short run
/// from random weights paints blotches; a decoder that already draws photos learns the style statistics in
/// hundreds of steps. The paper has no warm-up (the default, 0).
/// </remarks>
public sealed class AdaINTraining : ITrainable<ImagePair>
{
    readonly AdaINTrainingOptions _options;

    /// <summary>Trains <paramref name="model"/>'s decoder in place (the encoder stays frozen).</summary>
    public AdaINTraining(AdaINModel model, AdaINTrainingOptions? options = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? new AdaINTrainingOptions();
        var parameters = model.Decoder.parameters().ToList();
        int warmup = _options.WarmupSteps;
        Phases = warmup > 0
            ? [new("warm-up", parameters, Reconstruction, _options.WarmupLearningRate, UntilStep: warmup), new("decoder", parameters, Loss, FromStep: warmup)]
            : [new("decoder", parameters, Loss)];
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

    /// <inheritdoc/>
    public Dictionary<string, Tensor> StateDict() => Model.Decoder.state_dict();

    /// <inheritdoc/>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state) =>
        StateDictCopy.CopyInto(Model.Decoder, state, "checkpoint", $"AdaIN decoder from {Model.Layer}");

    /// <summary>The warm-up's loss: the decoder reconstructs the batch's content crops.</summary>
    public LossTerms Reconstruction(ImagePair batch)
    {
        Model.Decoder.train();
        return ReconstructionLoss.Compute(Model.Decoder, Model.Encoder, batch.Content);
    }

    /// <summary>The weighted content and style terms of one batch (official <c>loss_c</c>, <c>loss_s</c>).</summary>
    public LossTerms Loss(ImagePair batch)
    {
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
}
