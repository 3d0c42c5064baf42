using TorchSharp;
using static TorchSharp.torch;

namespace StyleLab.Encoders;

/// <summary>
/// How an image in [0,1] RGB is turned into what a set of VGG weights was trained on. It is a
/// property of the weights, never of a method: the same Gatys code runs on Caffe and torchvision
/// weights because each file says how it wants its input.
/// </summary>
/// <param name="Name">"caffe", "torchvision" or "identity".</param>
/// <param name="Bgr">Reverse the channel order (Caffe models were trained on BGR).</param>
/// <param name="Scale">Multiply [0,1] pixels by this (255 for Caffe).</param>
/// <param name="Mean">Per-channel mean to subtract, in the model's channel order and scale.</param>
/// <param name="Std">Per-channel standard deviation to divide by.</param>
public sealed record Preprocessing(string Name, bool Bgr, float Scale, float[] Mean, float[] Std)
{
    /// <summary>Oxford VGG / Caffe / Keras lineage: BGR, 0–255, ImageNet mean subtracted, no scaling.</summary>
    public static Preprocessing Caffe { get; } = new("caffe", true, 255f, [103.939f, 116.779f, 123.68f], [1f, 1f, 1f]);

    /// <summary>torchvision's ImageNet models: RGB in [0,1], normalised by mean and std.</summary>
    public static Preprocessing Torchvision { get; } = new("torchvision", false, 1f, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Nothing to do: AdaIN's "normalised" VGG folds its preprocessing into a leading 1×1 conv.</summary>
    public static Preprocessing Identity { get; } = new("identity", false, 1f, [0f, 0f, 0f], [1f, 1f, 1f]);

    /// <summary>Looks a preprocessing up by name, as weight files and the registry record it.</summary>
    public static Preprocessing FromName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "caffe" or "keras" => Caffe,
        "torchvision" or "pytorch" => Torchvision,
        "identity" or "normalised" or "normalized" or "none" => Identity,
        _ => throw new ArgumentException($"Unknown preprocessing '{name}' (expected caffe, torchvision or identity).", nameof(name)),
    };

    /// <summary>Maps an image batch [N,3,H,W] in [0,1] RGB to the network's input. Differentiable.</summary>
    public Tensor Apply(Tensor image)
    {
        using var scope = NewDisposeScope();
        var x = Bgr ? image.flip(1) : image;
        if (Scale != 1f) x = x * Scale;
        x = (x - Column(Mean, image)) / Column(Std, image);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The inverse of <see cref="Apply"/>: network input back to [0,1] RGB.</summary>
    public Tensor Invert(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input * Column(Std, input) + Column(Mean, input);
        if (Scale != 1f) x = x / Scale;
        if (Bgr) x = x.flip(1);
        return x.MoveToOuterDisposeScope();
    }

    static Tensor Column(float[] values, Tensor like) =>
        torch.tensor(values, dtype: like.dtype, device: like.device).view(1, 3, 1, 1);
}
