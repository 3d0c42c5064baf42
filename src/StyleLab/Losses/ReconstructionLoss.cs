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
        Tensor target;
        using (no_grad())
        using (var encoded = encoder.Encode(images, [layer]))
            target = encoded[layer].detach().clone();
        var output = decoder.forward(target);
        using var reencoded = encoder.Encode(output, [layer]);
        var pixel = F.mse_loss(output, images);
        var feature = F.mse_loss(reencoded[layer], target);
        return new LossTerms(pixel + featureWeight * feature, new Dictionary<string, Tensor> { ["pixel"] = pixel, ["feature"] = feature });
    }
}
