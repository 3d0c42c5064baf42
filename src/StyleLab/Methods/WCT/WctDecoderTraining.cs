using StyleLab.Weights;
using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Losses;
using StyleLab.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Methods.WCT;

/// <summary>
/// A WCT decoder as <see cref="TrainingLoop"/> trains it (Li et al. 2017, §3): the decoder inverts the
/// frozen encoder at its layer, trained only to reconstruct images (<see cref="ReconstructionLoss"/>, λ = 1).
/// </summary>
public sealed class WctDecoderTraining : ITrainable
{
    readonly Vgg19Encoder _encoder;

    /// <summary>Trains <paramref name="decoder"/> to invert <paramref name="encoder"/> at the decoder's layer.</summary>
    public WctDecoderTraining(VggDecoder decoder, Vgg19Encoder encoder, double featureWeight = 1.0)
    {
        Decoder = decoder ?? throw new ArgumentNullException(nameof(decoder));
        _encoder = encoder ?? throw new ArgumentNullException(nameof(encoder));
        _encoder.Require(decoder.FromLayer);
        FeatureWeight = featureWeight;
        Decoder.train();
    }

    /// <summary>The decoder being trained.</summary>
    public VggDecoder Decoder { get; }

    /// <summary>λ, the weight of the feature reconstruction term (paper: 1).</summary>
    public double FeatureWeight { get; }

    /// <inheritdoc/>
    public IEnumerable<Parameter> Parameters => Decoder.parameters();

    /// <inheritdoc/>
    public Dictionary<string, Tensor> StateDict() => Decoder.state_dict();

    /// <inheritdoc/>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state) =>
        StateDictCopy.CopyInto(Decoder, state, "checkpoint", $"WCT decoder from {Decoder.FromLayer}");

    /// <inheritdoc/>
    public LossTerms Loss(Tensor batch) => ReconstructionLoss.Compute(Decoder, _encoder, batch, FeatureWeight);

    /// <summary>
    /// Mean squared pixel error of decoding the encoding of <paramref name="images"/> [N,3,H,W] (no gradients):
    /// how well the decoder inverts the encoder.
    /// </summary>
    public static double ReconstructionError(VggDecoder decoder, Vgg19Encoder encoder, Tensor images)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var features = encoder.Encode(images, [decoder.FromLayer])[decoder.FromLayer];
        var decoded = decoder.forward(features);
        var h = images.shape[2]; var w = images.shape[3];
        return F.mse_loss(decoded[.., .., ..(int)h, ..(int)w], images).item<float>();
    }
}
