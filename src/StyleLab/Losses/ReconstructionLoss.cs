using StyleLab.Decoders;
using StyleLab.Encoders;
using StyleLab.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace StyleLab.Losses;

/// <summary>
/// The loss that teaches a decoder <c>g</c> to invert a frozen encoder <c>Φ</c> at the decoder's layer (Li et
/// al. 2017, §3, WCT's decoders): <c>‖g(Φ(I)) − I‖² + λ‖Φ(g(Φ(I))) − Φ(I)‖²</c>, both squared errors as means
/// (Torch's <c>MSECriterion</c>). Terms: "pixel" and "feature".
/// </summary>
public static class ReconstructionLoss
{
    /// <summary>The loss of decoding the encoding of <paramref name="images"/> [N,3,H,W]; gradients reach only the decoder.</summary>
    public static LossTerms Compute(VggDecoder decoder, Vgg19Encoder encoder, Tensor images, double featureWeight = 1.0)
    {
        string layer = decoder.FromLayer;
        return Compute(x =>
        {
            using var encoded = encoder.Encode(x, [layer]);
            return encoded[layer].alias();
        }, decoder.forward, images, featureWeight);
    }

    /// <summary>
    /// The same loss for any encoder and decoder given as functions (e.g. a method whose images are in another
    /// range, as CAST's [-1, 1]); the target features are detached, so gradients reach the encoder only through
    /// the re-encoding of the output (freeze it to train the decoder alone).
    /// </summary>
    public static LossTerms Compute(Func<Tensor, Tensor> encode, Func<Tensor, Tensor> decode, Tensor images, double featureWeight = 1.0)
    {
        Tensor target;
        using (no_grad())
        using (var encoded = encode(images))
            target = encoded.detach().clone();
        var output = decode(target);
        using var reencoded = encode(output);
        var pixel = F.mse_loss(output, images);
        var feature = F.mse_loss(reencoded, target);
        return new LossTerms(pixel + featureWeight * feature, new Dictionary<string, Tensor> { ["pixel"] = pixel, ["feature"] = feature });
    }
}
