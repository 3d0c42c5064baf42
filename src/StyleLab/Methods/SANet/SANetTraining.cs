using StyleLab.Weights;
using StyleLab.Losses;
using StyleLab.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.SANet;

/// <summary>
/// SANet's training objective for <see cref="TrainingLoop{TBatch}"/> over content/style pairs: the transform
/// and the decoder learn, the encoder stays frozen. As the official Train.ipynb (mean squared errors throughout):
/// <list type="bullet">
/// <item><c>Lc</c>: mean-variance normalised features of the output vs the content at both SANet layers;</item>
/// <item><c>Ls</c>: mean/std style loss at every loss layer (relu1_1 … relu5_1);</item>
/// <item><c>Lid1</c>: <c>‖I_cc − I_c‖ + ‖I_ss − I_s‖</c>, I_cc the output for the content as its own style;</item>
/// <item><c>Lid2</c>: the same between their features at every loss layer.</item>
/// </list>
/// The official schedule's learning-rate decay (lr / (1 + 5e-5·step)) is left out: it changes the rate by
/// under 1 % in the first 200 steps; use a fixed rate or train in stages.
/// </summary>
public sealed class SANetTraining : ITrainable<ImagePair>
{
    readonly SANetModel _model;
    readonly SANetTrainingOptions _options;
    readonly IReadOnlyList<string> _layers;

    /// <summary>Trains <paramref name="model"/>'s transform and decoder in place.</summary>
    public SANetTraining(SANetModel model, SANetTrainingOptions? options = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? new SANetTrainingOptions();
        _layers = model.Layers.LossLayers;
        var parameters = model.Decoder.parameters().Concat(model.Transform.parameters()).ToList();
        Phases = [new TrainingPhase<ImagePair>("sanet", parameters, Loss)];
        model.Transform.train();
        model.Decoder.train();
    }

    /// <inheritdoc/>
    public IReadOnlyList<TrainingPhase<ImagePair>> Phases { get; }

    /// <summary>The model being trained.</summary>
    public SANetModel Model => _model;

    /// <summary>
    /// The losses of one batch: "content", "style", "identity1", "identity2" unweighted, and the weighted total.
    /// </summary>
    public LossTerms Loss(ImagePair batch)
    {
        var (content, style) = (batch.Content, batch.Style);
        var encoder = _model.Encoder;
        string shallow = _model.Layers.Shallow, deep = _model.Layers.Deep;
        var contentFeats = encoder.Encode(content, _layers);
        var styleFeats = encoder.Encode(style, _layers);

        Tensor Transform(IReadOnlyDictionary<string, Tensor> c, IReadOnlyDictionary<string, Tensor> s) =>
            _model.Transform.Forward(c[shallow], s[shallow], c[deep], s[deep]);

        var stylised = _model.Decode(Transform(contentFeats, styleFeats), content);
        var outFeats = encoder.Encode(stylised, _layers);
        var lossContent = F.mse_loss(ChannelStatistics.Normalize(outFeats[shallow]), ChannelStatistics.Normalize(contentFeats[shallow]))
                        + F.mse_loss(ChannelStatistics.Normalize(outFeats[deep]), ChannelStatistics.Normalize(contentFeats[deep]));
        var lossStyle = Sum(_layers.Select(l => MeanStdStyleLoss.Compute(outFeats[l], styleFeats[l])));

        var icc = _model.Decode(Transform(contentFeats, contentFeats), content);
        var iss = _model.Decode(Transform(styleFeats, styleFeats), style);
        var identity1 = F.mse_loss(icc, content) + F.mse_loss(iss, style);
        var ccFeats = encoder.Encode(icc, _layers);
        var ssFeats = encoder.Encode(iss, _layers);
        var identity2 = Sum(_layers.Select(l => F.mse_loss(ccFeats[l], contentFeats[l]) + F.mse_loss(ssFeats[l], styleFeats[l])));

        var total = _options.ContentWeight * lossContent + _options.StyleWeight * lossStyle
                  + _options.Identity1Weight * identity1 + _options.Identity2Weight * identity2;
        return new LossTerms(total, new Dictionary<string, Tensor>
        {
            ["content"] = lossContent,
            ["style"] = lossStyle,
            ["identity1"] = identity1,
            ["identity2"] = identity2,
        });
    }

    static Tensor Sum(IEnumerable<Tensor> terms) => terms.Aggregate((a, b) => a + b);

    /// <summary>Transform and decoder, keys prefixed <c>transform.</c> and <c>decoder.</c> (the official files' keys after the prefix).</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var (k, v) in _model.Transform.state_dict()) state["transform." + k] = v;
        foreach (var (k, v) in _model.Decoder.state_dict()) state["decoder." + k] = v;
        return state;
    }

    /// <inheritdoc/>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        StateDictCopy.CopyInto(_model.Transform, Sub(state, "transform."), "checkpoint", "SANet transformer");
        StateDictCopy.CopyInto(_model.Decoder, Sub(state, "decoder."), "checkpoint", "SANet decoder");
    }

    static Dictionary<string, Tensor> Sub(IReadOnlyDictionary<string, Tensor> state, string prefix) =>
        state.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
}
